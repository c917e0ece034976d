import Foundation
import Herald
import Testing

private let key = "k3y-0123456789abcdef"

/// `http.api_keys`, `http.public_metrics` and `http.allow_unauthenticated` in `herald.json`.
@Suite struct AccessConfigurationTests {
    private func decode(_ http: String, environment: [String: String] = [:]) throws -> HeraldConfiguration {
        let configuration = try HeraldConfiguration.decode(Data(#"{"http": \#(http)}"#.utf8), environment: environment)
        try configuration.validate()
        return configuration
    }

    @Test func decodesKeysWithTheirScopesAndTheFlags() throws {
        let configuration = try decode("""
            {"api_keys": [{"key": "env:HERALD_KEY_SEND", "scopes": ["send"]},
                          {"key": "\(key)", "scopes": ["send", "read", "admin"]}],
             "public_metrics": true, "allow_unauthenticated": true}
            """, environment: ["HERALD_KEY_SEND": "from-the-environment-0123"])
        #expect(configuration.http.access == HeraldConfiguration.AccessSettings(
            apiKeys: [
                .init(key: Secret("from-the-environment-0123"), scopes: [.send]),
                .init(key: Secret(key), scopes: [.send, .read, .admin]),
            ],
            publicMetrics: true, allowUnauthenticated: true))
    }

    @Test func noKeysIsTheDefault() throws {
        #expect(try decode("{}").http.access == HeraldConfiguration.AccessSettings())
        #expect(try decode(#"{"api_keys": []}"#).http.access.apiKeys.isEmpty)
    }

    @Test(arguments: [
        (#"{"api_keys": [{"key": "\#(key)", "scopes": ["send", "sned"]}]}"#, "http.api_keys[0].scopes[1]",
         #"unknown scope "sned" (send, read or admin)"#),
        (#"{"api_keys": [{"key": "\#(key)", "scopes": []}]}"#, "http.api_keys[0].scopes", "must name at least one scope"),
        (#"{"api_keys": [{"key": "\#(key)"}]}"#, "http.api_keys[0].scopes", "missing"),
        (#"{"api_keys": [{"scopes": ["send"]}]}"#, "http.api_keys[0].key", "missing"),
        (#"{"api_keys": [{"key": "", "scopes": ["send"]}]}"#, "http.api_keys[0].key", "must not be empty"),
        (#"{"api_keys": [{"key": "short-key-15chr", "scopes": ["send"]}]}"#, "http.api_keys[0].key",
         "must be at least 16 characters"),
        (#"{"api_keys": [{"key": "a key with spaces in it", "scopes": ["send"]}]}"#, "http.api_keys[0].key",
         "must be printable ASCII without spaces"),
        (#"{"api_keys": [{"key": "\#(key)", "scopes": ["send"]}, {"key": "\#(key)", "scopes": ["read"]}]}"#,
         "http.api_keys[1].key", "is the same key as http.api_keys[0]"),
        (#"{"api_keys": [{"key": "env:HERALD_KEY_NOPE", "scopes": ["send"]}]}"#, "http.api_keys[0].key",
         "environment variable HERALD_KEY_NOPE is not set"),
        (#"{"api_keys": [{"key": "\#(key)", "scopes": ["send"], "name": "x"}]}"#, "http.api_keys[0].name", "unknown key"),
        (#"{"api_keys": {"key": "\#(key)"}}"#, "http.api_keys", "must be an array"),
        (#"{"public_metrics": "yes"}"#, "http.public_metrics", "must be true or false"),
        (#"{"allow_unauthenticated": 1}"#, "http.allow_unauthenticated", "must be true or false"),
    ])
    func invalidKeysAreConfigurationErrorsThatNameThePathButNeverTheKey(http: String, path: String, problem: String) {
        let error = #expect(throws: HeraldError.self) { try decode(http) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.field == path)
        #expect(error?.message.hasPrefix("\(path): \(problem)") == true, "\(String(describing: error?.message))")
        #expect(error?.message.contains(key) == false)
        #expect(error?.message.contains("short-key-15chr") == false)
    }

    @Test func keysBuiltInCodeAreValidatedToo() {
        var configuration = HeraldConfiguration()
        configuration.http.access.apiKeys = [.init(key: Secret("short"), scopes: [.send])]
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "http.api_keys[0].key")) {
            try configuration.validate()
        }
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.10.20.30", true), ("localhost", true), ("LocalHost", true), ("::1", true),
        ("::ffff:127.0.0.1", true), ("0.0.0.0", false), ("::", false), ("10.0.0.5", false), ("128.0.0.1", false),
        ("192.168.1.2", false), ("example.com", false), ("localhost.example.com", false), ("fe80::1", false),
    ])
    func onlyLoopbackHostsCountAsLoopback(host: String, loopback: Bool) {
        #expect(HeraldConfiguration.HTTPSettings(host: host).isLoopbackHost == loopback)
    }

    @Test func aNonLoopbackHostNeedsKeysOrAnExplicitOptOut() throws {
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "http.api_keys")) {
            try HeraldConfiguration.HTTPSettings(host: "0.0.0.0").requireKeysBeyondLoopback()
        }
        try HeraldConfiguration.HTTPSettings(host: "127.0.0.1").requireKeysBeyondLoopback()
        try HeraldConfiguration.HTTPSettings(
            host: "0.0.0.0", access: .init(apiKeys: [.init(key: Secret(key), scopes: [.send])])
        ).requireKeysBeyondLoopback()
        let optedOut = HeraldConfiguration.HTTPSettings(host: "0.0.0.0", access: .init(allowUnauthenticated: true))
        try optedOut.requireKeysBeyondLoopback()
        #expect(optedOut.isOpenBeyondLoopback)
    }
}
