public import Foundation
public import HeraldApplication
public import HeraldDomain
package import HeraldCrypto
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends push notifications to Apple devices through APNs' HTTP/2 API: `POST {base}/3/device/{token}` with a
/// provider token (an ES256 JWT, reused for 40 minutes), `apns-topic`, `apns-push-type: alert`, `apns-priority`,
/// `apns-expiration`, `apns-id` (derived from the delivery id, so stable across retries) and `apns-collapse-id`.
///
/// `200` is sent. `400 BadDeviceToken`, `400 DeviceTokenNotForTopic` and `410` are ``DeliveryOutcome/addressGone(reason:)``:
/// Herald removes the token from the user. `403 ExpiredProviderToken`/`InvalidProviderToken` signs a new JWT and
/// tries once more. `429` is rate limited, `5xx` and network errors are retried, other answers fail.
public struct APNSChannel: NotificationChannel, CustomStringConvertible {
    /// Which APNs servers a channel talks to.
    public enum Environment: String, Hashable, Sendable, CaseIterable {
        case production
        case sandbox

        /// `https://api.push.apple.com` or `https://api.sandbox.push.apple.com`.
        public var baseURL: URL {
            switch self {
            case .production: URL(string: "https://api.push.apple.com")!
            case .sandbox: URL(string: "https://api.sandbox.push.apple.com")!
            }
        }
    }

    /// How long one provider token is used before a new one is signed: APNs refuses tokens older than an hour
    /// and answers `TooManyProviderTokenUpdates` to renewals more often than every 20 minutes.
    package static let tokenLifetime: Duration = .seconds(40 * 60)

    private let teamID: String
    private let keyID: String
    private let topic: String
    private let baseURL: URL
    private let expiration: Duration
    private let transport: HTTPTransport
    private let clock: any WallClock
    private let tokens: ProviderTokenCache

    /// - Parameters:
    ///   - privateKeyPEM: the `.p8` file's text (a PKCS#8 P-256 key; SEC1 `EC PRIVATE KEY` is accepted too).
    ///   - topic: the app's bundle id.
    ///   - baseURL: overrides the environment's servers (a test server).
    ///   - expiration: how long APNs keeps trying to reach an offline device.
    ///   - timeout: how long one request may take, connecting included.
    /// - Throws: ``PushCredentialError`` when the key is not a P-256 private key (it never quotes the key).
    public init(
        teamID: String, keyID: String, privateKeyPEM: String, topic: String, environment: Environment = .production,
        baseURL: URL? = nil, expiration: Duration = .seconds(86_400), timeout: Duration = .seconds(10)
    ) throws {
        self.init(
            teamID: teamID, keyID: keyID, signingKey: try Self.signingKey(fromPEM: privateKeyPEM), topic: topic,
            baseURL: baseURL ?? environment.baseURL, expiration: expiration, transport: HTTPTransport(timeout: timeout),
            clock: SystemClock())
    }

    package init(
        teamID: String, keyID: String, signingKey: P256PrivateKey, topic: String, baseURL: URL,
        expiration: Duration = .seconds(86_400), transport: HTTPTransport, clock: any WallClock
    ) {
        self.teamID = teamID
        self.keyID = keyID
        self.topic = topic
        self.baseURL = baseURL
        self.expiration = expiration
        self.transport = transport
        self.clock = clock
        self.tokens = ProviderTokenCache(clock: clock) {
            let now = clock.now
            let jwt = JSONWebToken.compact(
                header: ["kid": .string(keyID)],
                claims: ["iss": .string(teamID), "iat": .number(Double(Int64(now.timeIntervalSince1970)))],
                key: .p256(signingKey))
            return ProviderTokenCache.Token(value: jwt, renewAt: now.adding(Self.tokenLifetime))
        }
    }

    /// The P-256 key in `pem`, or an error naming what is wrong with it (never its content).
    package static func signingKey(fromPEM pem: String) throws(PushCredentialError) -> P256PrivateKey {
        let key: SigningKey
        do {
            key = try SigningKey.parse(pem: pem)
        } catch {
            throw PushCredentialError("the private key is unusable: \(error)")
        }
        guard case .p256(let p256) = key else {
            throw PushCredentialError("the private key is an RSA key; APNs needs the P-256 (.p8) key Apple issued")
        }
        return p256
    }

    /// Checks that `pem` holds a P-256 private key, as ``init(teamID:keyID:privateKeyPEM:topic:environment:baseURL:expiration:timeout:)`` needs.
    package static func validateKey(pem: String) throws(PushCredentialError) {
        _ = try signingKey(fromPEM: pem)
    }

    public var description: String {
        "APNSChannel(team: \(teamID), key: \(keyID), topic: \(topic), host: \(baseURL.host ?? ""), privateKey: ***)"
    }

    /// How many provider tokens (JWTs) this channel signed so far.
    package var signedTokenCount: Int { get async { await tokens.issuedCount } }

    /// Sends to each recipient token in turn; the first answer that is not `200` decides. From a worker a
    /// message holds one token: Herald gives every device a delivery of its own.
    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        try await EachRecipient.send(message.recipients) { try await send(message, to: $0) }
    }

    private func send(_ message: OutgoingMessage, to deviceToken: String) async throws -> DeliveryOutcome {
        guard AddressRules.isValidAPNsToken(deviceToken) else {
            return .addressGone(reason: "not an APNs device token: \(RecipientMask.mask(deviceToken))")
        }
        let body = Data(Self.body(for: message).jsonText.utf8)
        var providerToken = try await tokens.token()
        var response = try await exchange(message, deviceToken, body, providerToken)
        if case .success(let answer) = response, answer.status == 403,
            ["ExpiredProviderToken", "InvalidProviderToken"].contains(Self.reason(answer))
        {
            providerToken = try await tokens.replacing(providerToken)
            response = try await exchange(message, deviceToken, body, providerToken)
        }
        switch response {
        case .failure(let failure): return failure.outcome
        case .success(let answer): return Self.classify(answer, now: clock.now)
        }
    }

    private func exchange(
        _ message: OutgoingMessage, _ deviceToken: String, _ body: Data, _ providerToken: String
    ) async throws -> Result<ProviderResponse, DeliveryFailure> {
        var request = URLRequest(url: baseURL.appendingPathComponent("3/device/\(deviceToken)"))
        request.httpMethod = "POST"
        request.setValue("bearer \(providerToken)", forHTTPHeaderField: "authorization")
        request.setValue(topic, forHTTPHeaderField: "apns-topic")
        request.setValue("alert", forHTTPHeaderField: "apns-push-type")
        request.setValue(message.priority == .low ? "5" : "10", forHTTPHeaderField: "apns-priority")
        request.setValue(
            String(Int64(clock.now.adding(expiration).timeIntervalSince1970)), forHTTPHeaderField: "apns-expiration")
        request.setValue(Self.notificationID(for: message.deliveryID), forHTTPHeaderField: "apns-id")
        if let collapseKey = message.collapseKey { request.setValue(collapseKey, forHTTPHeaderField: "apns-collapse-id") }
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = body
        return try await transport.exchange(request, provider: "APNs")
    }

    /// `{"aps": {"alert": {"title", "body"}, "sound": "default"}}` plus the request's `data` beside `aps`.
    package static func body(for message: OutgoingMessage) -> JSONValue {
        var alert: [String: JSONValue] = ["body": .string(message.body)]
        if let subject = message.subject, !subject.isEmpty { alert["title"] = .string(subject) }
        var payload = message.data
        payload["aps"] = .object(["alert": .object(alert), "sound": .string("default")])
        return .object(payload)
    }

    /// A UUID made from the delivery's identity (SHA-256 of it, as an RFC 9562 version 8 UUID), so every
    /// retry of one delivery carries the same `apns-id`.
    package static func notificationID(for delivery: DeliveryID) -> String {
        var bytes = Array(SHA256.hash(Array("\(delivery.notificationID.rawValue)|\(delivery.key)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// The outcome of an APNs answer (the table in `docs/channels.md`).
    package static func classify(_ response: ProviderResponse, now: Date) -> DeliveryOutcome {
        let reason = Self.reason(response)
        let description = "APNs answered \(response.status)" + (reason.map { " \($0)" } ?? "")
        switch (response.status, reason) {
        case (200, _):
            return .sent
        case (410, _), (400, "BadDeviceToken"?), (400, "DeviceTokenNotForTopic"?):
            return .addressGone(reason: description + ": the device token is no longer valid and was removed")
        case (429, _):
            return .rateLimited(retryAfter: HTTPOutcome.retryAfter(response.headers["retry-after"], now: now), reason: description)
        case (500...599, _):
            return .retry(reason: description)
        default:
            return .failed(reason: description)
        }
    }

    /// The `reason` of an APNs error body (`{"reason": "BadDeviceToken"}`), if it has one of APNs' form.
    package static func reason(_ response: ProviderResponse) -> String? {
        guard case .object(let members)? = try? JSONValue.parse(response.body), case .string(let reason)? = members["reason"],
            !reason.isEmpty, reason.count <= 64, reason.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        return reason
    }
}
