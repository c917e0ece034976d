import Foundation
import HeraldApplication
import HeraldDomain

/// The body of `PUT /v1/users/{id}`: `{"email", "sms", "devices", "preferred_channel", "muted_topics",
/// "preferences", "timezone", "quiet_hours"}`, strictly decoded.
enum UserProfileBody {
    static let fields: Set<String> = [
        "id", "email", "sms", "devices", "preferred_channel", "muted_topics", "preferences", "timezone", "quiet_hours",
    ]

    static func decode(_ body: [UInt8], id: UserID, maxBodyBytes: Int, contentType: String?) throws(HeraldError) -> UserProfile {
        try HeraldAPI.checkJSONBody(body, contentType: contentType, maxBodyBytes: maxBodyBytes)
        let object = try JSONValue.parseObject(Data(body))
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw HeraldError(.unknownField, "unknown field \"\(unknown)\"", field: unknown)
        }
        if let given = object["id"], given != .null, given.textForMessage != id.rawValue {
            throw HeraldError(.invalidValue, "id in the body must match the id in the path", field: "id")
        }
        func text(_ name: String) throws(HeraldError) -> String? {
            switch object[name] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            case let other?: throw HeraldError(.invalidValue, "\(name) must be a string, not \(other.typeName)", field: name)
            }
        }
        var muted: Set<Topic> = []
        switch object["muted_topics"] {
        case nil, .null?: break
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .string(let topic) = element else {
                    throw HeraldError(.invalidValue, "muted_topics[\(index)] must be a string", field: "muted_topics[\(index)]")
                }
                muted.insert(Topic(topic))
            }
        case let other?:
            throw HeraldError(.invalidValue, "muted_topics must be an array of strings, not \(other.typeName)", field: "muted_topics")
        }
        let optOuts = try object["preferences"].flatMap { value throws(HeraldError) in
            value == .null ? nil : try UserPreferences.optOuts(from: value, field: "preferences")
        }
        let timeZone = try text("timezone").map { name throws(HeraldError) -> String in
            try UserPreferences.validate(timeZone: name, field: "timezone")
            return name
        }
        let quietHours = try object["quiet_hours"].flatMap { value throws(HeraldError) in
            value == .null ? nil : try QuietHours.parse(value, field: "quiet_hours")
        }
        var devices: [Device] = []
        switch object["devices"] {
        case nil, .null?: break
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else {
                    throw HeraldError(.invalidValue, "devices[\(index)] must be an object", field: "devices[\(index)]")
                }
                devices.append(try DeviceBody.device(from: members, field: "devices[\(index)]."))
            }
        case let other?:
            throw HeraldError(.invalidValue, "devices must be an array of objects, not \(other.typeName)", field: "devices")
        }
        return UserProfile(
            id: id, contact: Contact(email: try text("email"), sms: try text("sms"), devices: devices),
            preferences: UserPreferences(
                preferredChannel: try text("preferred_channel").map(ChannelName.init(rawValue:)), mutedTopics: muted,
                channelOptOuts: optOuts?.channels ?? [], topicOptOuts: optOuts?.topics ?? [:],
                timeZone: timeZone, quietHours: quietHours))
    }

    /// `[{"token", "platform"}]`: the user's own tokens, for the admin routes and contact-info.
    static func document(for devices: [Device]) -> JSONValue {
        .array(devices.map { .object(["token": .string($0.token), "platform": .string($0.platform.rawValue)]) })
    }

    static func document(for profile: UserProfile) -> JSONValue {
        .object([
            "id": .string(profile.id.rawValue),
            "email": JSONBody.optional(profile.contact.email),
            "sms": JSONBody.optional(profile.contact.sms),
            "devices": document(for: profile.contact.devices),
            "preferred_channel": JSONBody.optional(profile.preferences.preferredChannel?.rawValue),
            "muted_topics": .array(profile.preferences.mutedTopics.sorted().map { .string($0.rawValue) }),
            "preferences": profile.preferences.optOutsJSON,
            "timezone": JSONBody.optional(profile.preferences.timeZone),
            "quiet_hours": profile.preferences.quietHours?.json ?? .null,
        ])
    }
}
