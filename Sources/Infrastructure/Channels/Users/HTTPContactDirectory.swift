public import Foundation
public import HeraldApplication
public import HeraldDomain
import Synchronization
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A remote user service: `GET {base_url}/users/{id}/contact-info` answering
/// `{"email", "sms", "preferred_channel"}` (and optionally `"muted_topics"` and
/// `"devices": [{"token", "platform"}]`). `404` is an unknown user;
/// answers are cached for ``cacheDuration`` (unknown users too), so a burst of notifications to one
/// user asks once; at most ``cacheCapacity`` users are cached (least recently used forgotten first).
///
/// Both directions are checked against ``AddressRules``: an invalid user id is never put in a URL, and
/// an answer with an invalid address is refused. Either is an `invalid_value` ``HeraldError`` (field
/// `user_id`), so a delivery fails permanently with that reason instead of sending to the address.
public final class HTTPContactDirectory: ContactDirectory {
    private struct Cached {
        let profile: UserProfile?
        let expiresAt: ContinuousClock.Instant
    }

    private let baseURL: URL
    private let cacheDuration: Duration
    private let transport: HTTPTransport
    private let cache: Mutex<LRUCache<UserID, Cached>>
    /// The most users whose answers are cached at once.
    public let cacheCapacity: Int

    /// - Parameter timeout: how long one request to the user service may take.
    public convenience init(
        baseURL: URL, cacheDuration: Duration = .seconds(30), cacheCapacity: Int = 10_000, timeout: Duration = .seconds(5)
    ) {
        self.init(
            baseURL: baseURL, cacheDuration: cacheDuration, cacheCapacity: cacheCapacity,
            transport: HTTPTransport(timeout: timeout))
    }

    package init(baseURL: URL, cacheDuration: Duration, cacheCapacity: Int = 10_000, transport: HTTPTransport) {
        self.baseURL = baseURL
        self.cacheDuration = cacheDuration
        self.cacheCapacity = max(1, cacheCapacity)
        self.cache = Mutex(LRUCache(capacity: cacheCapacity))
        self.transport = transport
    }

    public func profile(for id: UserID) async throws -> UserProfile? {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0.value(for: id) }), cached.expiresAt > now { return cached.profile }
        let profile = try await fetch(id)
        cache.withLock { $0.set(Cached(profile: profile, expiresAt: now + cacheDuration), for: id) }
        return profile
    }

    private func fetch(_ id: UserID) async throws -> UserProfile? {
        guard AddressRules.isValidUserID(id.rawValue) else {
            throw HeraldError(
                .invalidValue, "user_id \(AddressRules.userIDRule); the user service was not asked", field: "user_id")
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        let escaped = id.rawValue.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        guard let url = URL(string: baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/users/\(escaped)/contact-info")
        else { throw HTTPTransportError(cause: "the user id cannot be put in a URL") }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let response = try await transport.send(request)
        switch response.status {
        case 200:
            return try Self.decode(response.body, id: id)
        case 404:
            return nil
        default:
            throw HTTPTransportError(cause: "the user service answered \(response.status)")
        }
    }

    static func decode(_ body: Data, id: UserID) throws -> UserProfile {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw HTTPTransportError(cause: "the user service's answer is not a JSON object")
        }
        func text(_ key: String) -> String? { (object[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        var devices: [Device] = []
        for entry in object["devices"] as? [[String: Any]] ?? [] {
            guard let token = entry["token"] as? String, let platform = (entry["platform"] as? String).flatMap(PushPlatform.init)
            else {
                throw HeraldError(
                    .invalidValue, "the user service's devices for user \"\(id)\" are refused: each needs a token and a platform",
                    field: "user_id")
            }
            devices.append(Device(token: token, platform: platform))
        }
        let contact = Contact(email: text("email"), sms: text("sms"), devices: devices)
        do throws(HeraldError) {
            try contact.validate()
        } catch {
            throw HeraldError(
                .invalidValue, "the user service's contact for user \"\(id)\" is refused: \(error.message)",
                field: "user_id")
        }
        let muted = (object["muted_topics"] as? [String] ?? []).map(Topic.init(rawValue:))
        var optOuts: (channels: Set<ChannelName>, topics: [Topic: Set<ChannelName>]) = ([], [:])
        var quietHours: QuietHours?
        let timeZone = text("timezone")
        do {
            if let timeZone { try UserPreferences.validate(timeZone: timeZone, field: "timezone") }
            if let hours = object["quiet_hours"], !(hours is NSNull) {
                let value = try JSONValue.parse(try JSONSerialization.data(withJSONObject: hours, options: [.fragmentsAllowed]))
                quietHours = try QuietHours.parse(value, field: "quiet_hours")
            }
        } catch {
            throw HeraldError(
                .invalidValue, "the user service's quiet hours for user \"\(id)\" are refused: \(error)", field: "user_id")
        }
        if let preferences = object["preferences"], !(preferences is NSNull) {
            do {
                let value = try JSONValue.parse(try JSONSerialization.data(withJSONObject: preferences, options: [.fragmentsAllowed]))
                optOuts = try UserPreferences.optOuts(from: value, field: "preferences")
            } catch {
                throw HeraldError(
                    .invalidValue, "the user service's preferences for user \"\(id)\" are refused: \(error)", field: "user_id")
            }
        }
        return UserProfile(
            id: id, contact: contact,
            preferences: UserPreferences(
                preferredChannel: text("preferred_channel").map(ChannelName.init(rawValue:)), mutedTopics: Set(muted),
                channelOptOuts: optOuts.channels, topicOptOuts: optOuts.topics, timeZone: timeZone, quietHours: quietHours))
    }
}
