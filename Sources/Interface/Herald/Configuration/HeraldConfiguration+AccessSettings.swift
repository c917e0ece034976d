public import HeraldHTTP

extension HeraldConfiguration {
    /// Who may use the HTTP API (contract §9): `http.api_keys`, `http.public_metrics` and
    /// `http.allow_unauthenticated` in `herald.json`.
    public struct AccessSettings: Hashable, Sendable {
        /// The accepted keys; with none, the API is open to anyone who can reach it.
        public var apiKeys: [APIKeySettings]
        /// Whether `GET /metrics` is served without a key.
        public var publicMetrics: Bool
        /// Whether `herald serve` may listen beyond loopback without keys (it warns at start).
        public var allowUnauthenticated: Bool

        public init(apiKeys: [APIKeySettings] = [], publicMetrics: Bool = false, allowUnauthenticated: Bool = false) {
            self.apiKeys = apiKeys
            self.publicMetrics = publicMetrics
            self.allowUnauthenticated = allowUnauthenticated
        }

        /// The access control ``HeraldAPI`` enforces for these settings.
        public var accessControl: HeraldAPI.AccessControl {
            HeraldAPI.AccessControl(
                keys: apiKeys.map { HeraldAPI.APIKey($0.key.value, scopes: $0.scopes) }, publicMetrics: publicMetrics)
        }
    }

    /// One API key of `http.api_keys`.
    public struct APIKeySettings: Hashable, Sendable {
        /// The bearer token, usually `"env:NAME"` in `herald.json`; printed as `<redacted>`.
        public var key: Secret
        /// What the key may do.
        public var scopes: Set<HeraldAPI.Scope>

        public init(key: Secret, scopes: Set<HeraldAPI.Scope>) {
            self.key = key
            self.scopes = scopes
        }
    }
}
