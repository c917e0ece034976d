import Foundation
import HeraldDomain

/// The body of `POST /v1/users/{id}/devices`: `{"token", "platform": "apns" | "fcm"}`, strictly decoded.
enum DeviceBody {
    static let fields: Set<String> = ["token", "platform"]

    static func decode(_ body: [UInt8], maxBodyBytes: Int, contentType: String?) throws(HeraldError) -> Device {
        try HeraldAPI.checkJSONBody(body, contentType: contentType, maxBodyBytes: maxBodyBytes)
        return try device(from: try JSONValue.parseObject(Data(body)), field: "")
    }

    /// A device from a JSON object; `field` prefixes the names in errors (`devices[2].`).
    static func device(from object: [String: JSONValue], field prefix: String) throws(HeraldError) -> Device {
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw HeraldError(.unknownField, "unknown field \"\(prefix)\(unknown)\"", field: prefix + unknown)
        }
        guard case .string(let platformText)? = object["platform"], let platform = PushPlatform(rawValue: platformText) else {
            throw HeraldError(.invalidValue, "\(prefix)platform must be \"apns\" or \"fcm\"", field: prefix + "platform")
        }
        guard case .string(let token)? = object["token"] else {
            throw HeraldError(.invalidValue, "\(prefix)token must be a string", field: prefix + "token")
        }
        try AddressRules.requireAddress(token, as: platform.contactKind, field: prefix + "token")
        return Device(token: token, platform: platform)
    }
}
