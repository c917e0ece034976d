import Foundation
import HeraldDomain

/// A JSON value in a configuration file together with its path (`channels.sms.from`), so every
/// decoding error names exactly where the problem is.
struct ConfigurationNode {
    let value: JSONValue
    let path: String
    let environment: [String: String]
    /// Where unknown keys are recorded: decoding goes on past them so every problem is reported at once.
    let problems: ConfigurationProblems

    func child(_ key: String) -> ConfigurationNode? {
        guard case .object(let members) = value, let child = members[key], child != .null else { return nil }
        return ConfigurationNode(value: child, path: path.isEmpty ? key : "\(path).\(key)", environment: environment, problems: problems)
    }

    func error(_ problem: String, at path: String? = nil) -> HeraldError {
        let path = path ?? self.path
        return HeraldError(.invalidConfiguration, "\(path): \(problem)", field: path)
    }

    /// Decodes this value with a Domain decoder that names paths itself (``Route/init(json:path:)``), reporting its
    /// errors as `invalid_configuration` at the same field.
    func decoded<T>(_ decode: (JSONValue, String) throws(HeraldError) -> T) throws(HeraldError) -> T {
        do {
            return try decode(value, path)
        } catch {
            throw HeraldError(.invalidConfiguration, error.message, field: error.field ?? path)
        }
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The members of this object that `allowed` names (all when nil); each other key is recorded as a problem,
    /// with the allowed key it is closest to.
    func object(allowing allowed: Set<String>? = nil) throws(HeraldError) -> [String: ConfigurationNode] {
        guard case .object(let members) = value else { throw error("must be an object, not \(value.typeName)") }
        var nodes: [String: ConfigurationNode] = [:]
        if let allowed {
            for unknown in members.keys.sorted() where !allowed.contains(unknown) {
                problems.record(
                    error("unknown key \"\(unknown)\"" + Suggestion.hint(for: unknown, among: allowed), at: childPath(unknown)))
            }
        }
        for (key, member) in members where member != .null && (allowed?.contains(key) ?? true) {
            nodes[key] = ConfigurationNode(value: member, path: childPath(key), environment: environment, problems: problems)
        }
        return nodes
    }

    func elements() throws(HeraldError) -> [ConfigurationNode] {
        guard case .array(let elements) = value else { throw error("must be an array, not \(value.typeName)") }
        return elements.enumerated().map {
            ConfigurationNode(value: $0.element, path: "\(path)[\($0.offset)]", environment: environment, problems: problems)
        }
    }

    func string() throws(HeraldError) -> String {
        guard case .string(let text) = value else { throw error("must be a string, not \(value.typeName)") }
        return text
    }

    func nonEmptyString() throws(HeraldError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw error("must not be empty") }
        return text
    }

    /// A string that is a valid address of `kind` (``AddressRules``: an email mailbox or an E.164 number).
    func address(of kind: ContactKind) throws(HeraldError) -> String {
        let text = try nonEmptyString()
        guard AddressRules.isValid(text, as: kind) else { throw error(AddressRules.rule(for: kind)) }
        return text
    }

    /// A user's `devices`: `[{"token", "platform": "apns" | "fcm"}]`, each token of its platform's form, no token
    /// twice, at most ``AddressRules/maxDevicesPerUser``.
    func devices() throws(HeraldError) -> [Device] {
        let elements = try elements()
        guard elements.count <= AddressRules.maxDevicesPerUser else {
            throw error("a user has at most \(AddressRules.maxDevicesPerUser) devices, not \(elements.count)")
        }
        var devices: [Device] = []
        for element in elements {
            let fields = try element.object(allowing: ["token", "platform"])
            guard let platformNode = fields["platform"] else { throw element.error("missing", at: element.childPath("platform")) }
            guard let platform = PushPlatform(rawValue: try platformNode.string()) else {
                throw platformNode.error("must be \"apns\" or \"fcm\"")
            }
            guard let tokenNode = fields["token"] else { throw element.error("missing", at: element.childPath("token")) }
            let token = try tokenNode.address(of: platform.contactKind)
            guard !devices.contains(where: { $0.token == token }) else { throw tokenNode.error("is listed twice") }
            devices.append(Device(token: token, platform: platform))
        }
        return devices
    }

    func strings() throws(HeraldError) -> [String] {
        var strings: [String] = []
        for element in try elements() { strings.append(try element.nonEmptyString()) }
        return strings
    }

    func integer(in range: ClosedRange<Int>) throws(HeraldError) -> Int {
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e15 else {
            throw error("must be an integer, not \(value.typeName == "number" ? "a fraction" : value.typeName)")
        }
        guard range.contains(Int(number)) else {
            throw error("must be between \(range.lowerBound) and \(range.upperBound), not \(Int(number))")
        }
        return Int(number)
    }

    func bool() throws(HeraldError) -> Bool {
        guard case .bool(let flag) = value else { throw error("must be true or false, not \(value.typeName)") }
        return flag
    }

    /// An `http://` or `https://` URL with a host. The URL is not repeated in the error (it may hold a secret).
    func url(_ text: String) throws(HeraldError) -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else { throw error("must be an http:// or https:// URL with a host") }
        return url
    }

    func number(in range: ClosedRange<Double>) throws(HeraldError) -> Double {
        guard case .number(let number) = value else { throw error("must be a number, not \(value.typeName)") }
        guard range.contains(number) else {
            throw error("must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    /// A secret, given literally or as `"env:NAME"` to read it from the environment.
    func secret() throws(HeraldError) -> Secret {
        let text = try nonEmptyString()
        guard text.hasPrefix("env:") else { return Secret(text) }
        let name = String(text.dropFirst(4))
        guard let value = environment[name], !value.isEmpty else {
            throw error("environment variable \(name) is not set")
        }
        return Secret(value)
    }
}
