import HeraldDomain
import HeraldHTTP

extension HeraldConfiguration {
    /// The keys of the `http` section that ``decodeAccess(_:)`` reads.
    static let accessKeys: Set<String> = ["api_keys", "public_metrics", "allow_unauthenticated"]

    /// Decodes `http.api_keys`, `http.public_metrics` and `http.allow_unauthenticated` from the `http` section's fields.
    static func decodeAccess(_ fields: [String: ConfigurationNode]) throws(HeraldError) -> AccessSettings {
        var access = AccessSettings()
        if let keys = fields["api_keys"] {
            for element in try keys.elements() {
                let parts = try element.object(allowing: ["key", "scopes"])
                guard let key = parts["key"] else { throw element.error("missing", at: element.childPath("key")) }
                guard let scopes = parts["scopes"] else { throw element.error("missing", at: element.childPath("scopes")) }
                var granted: Set<HeraldAPI.Scope> = []
                for scope in try scopes.elements() {
                    let name = try scope.string()
                    guard let parsed = HeraldAPI.Scope(rawValue: name) else {
                        throw scope.error("unknown scope \"\(name)\" (send, read or admin)")
                    }
                    granted.insert(parsed)
                }
                access.apiKeys.append(APIKeySettings(key: try key.secret(), scopes: granted))
            }
        }
        if let flag = fields["public_metrics"] { access.publicMetrics = try flag.bool() }
        if let flag = fields["allow_unauthenticated"] { access.allowUnauthenticated = try flag.bool() }
        return access
    }

    /// Checks every API key, whether decoded or built in code: long enough, sendable in a header, unique, with a
    /// scope. Errors name the key's path and never the key.
    func validateAccess() throws(HeraldError) {
        var seen: [String: Int] = [:]
        for (index, settings) in http.access.apiKeys.enumerated() {
            let path = "http.api_keys[\(index)]"
            let key = settings.key.value
            guard key.count >= HeraldAPI.APIKey.minimumLength else {
                throw invalidAccess("\(path).key", "must be at least \(HeraldAPI.APIKey.minimumLength) characters")
            }
            guard key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
                throw invalidAccess("\(path).key", "must be printable ASCII without spaces")
            }
            if let first = seen[key] {
                throw invalidAccess("\(path).key", "is the same key as http.api_keys[\(first)]")
            }
            seen[key] = index
            guard !settings.scopes.isEmpty else {
                throw invalidAccess("\(path).scopes", "must name at least one scope (send, read or admin)")
            }
        }
    }

    private func invalidAccess(_ path: String, _ problem: String) -> HeraldError {
        HeraldError(.invalidConfiguration, "\(path): \(problem)", field: path)
    }
}
