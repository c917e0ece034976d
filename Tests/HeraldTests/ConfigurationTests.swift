import Foundation
import Herald
import HeraldRedis
import Testing

@Suite struct ConfigurationTests {
    private func decode(_ json: String, environment: [String: String] = [:]) throws -> HeraldConfiguration {
        var configuration = try HeraldConfiguration.decode(Data(json.utf8), environment: environment)
        try configuration.applyOverrides(from: environment)
        try configuration.validate()
        return configuration
    }

    private func expectInvalid(_ json: String, at path: String, environment: [String: String] = [:]) {
        #expect(throws: HeraldError(.invalidConfiguration, "", field: path)) { try decode(json, environment: environment) }
    }

    @Test func severalProblemsAreReportedTogetherEachWithItsPath() throws {
        let error = #expect(throws: HeraldError.self) {
            try decode(#"{"http": {"port": "80"}, "queue": {"max_attempts": 0}, "templates": {"t": {}}}"#)
        }
        let problems = (error?.underlying as? ConfigurationProblemList)?.problems.compactMap(\.field)
        #expect(problems == ["http.port", "queue.max_attempts", "templates.t.body"])
        #expect(error?.field == "http.port")
        #expect(error?.message.hasPrefix("3 problems:") == true)
    }

    @Test func partitionsAreDecodedForTheRedisQueue() throws {
        let configuration = try decode(#"{"queue": {"kind": "redis", "partitions": 12}}"#)
        #expect(configuration.queue.partitions == 12)
        #expect(try decode("{}").queue.partitions == 1)
    }

    @Test func emptyObjectIsAllDefaults() throws {
        #expect(try decode("{}") == HeraldConfiguration())
    }

    @Test func decodesEverySectionOfAConsoleConfiguration() throws {
        let configuration = try decode("""
            {
              "http": {"host": "0.0.0.0", "port": 9090, "max_body_bytes": 1024},
              "queue": {"kind": "memory", "key_prefix": "hx", "max_attempts": 3,
                        "backoff": {"initial_ms": 100, "max_ms": 2000}, "visibility_timeout_s": 30},
              "workers": {"concurrency": 2, "shutdown_timeout_s": 4, "batch": 16},
              "channels": {"log": {"type": "console", "rate_limit": {"per_second": 0.5, "burst": 3}},
                           "mail": {"type": "console", "contact": "email", "to": ["ops@example.com"]}},
              "routes": {"sales": ["log"], "pricing": ["mail", "log"]},
              "users": [{"id": 123, "email": "ana@example.com", "sms": "+15550002222",
                         "preferred_channel": "mail", "muted_topics": ["pricing"]}],
              "templates": {"welcome": {"subject": "Welcome, {{name}}", "body": "Hi {{name}}."}}
            }
            """)
        #expect(configuration.http == .init(host: "0.0.0.0", port: 9090, maxBodyBytes: 1024))
        #expect(configuration.queue.retryPolicy == RetryPolicy(
            maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2)))
        #expect(configuration.queue.visibilityTimeout == .seconds(30))
        #expect(configuration.workers == .init(concurrency: 2, shutdownTimeout: .seconds(4), batch: 16))
        #expect(configuration.channels["mail"] == .init(kind: .console, contactKind: .email, to: ["ops@example.com"]))
        #expect(configuration.channels["log"]?.rateLimit == RateLimit(perSecond: 0.5, burst: 3))
        #expect(configuration.routes["pricing"] == ["mail", "log"])
        #expect(configuration.users == .inline([UserProfile(
            id: "123", contact: Contact(email: "ana@example.com", sms: "+15550002222"),
            preferences: UserPreferences(preferredChannel: "mail", mutedTopics: ["pricing"]))]))
        #expect(configuration.templates["welcome"] == .init(subject: "Welcome, {{name}}", body: "Hi {{name}}."))
    }

    @Test(arguments: [
        (#"{"channels": {"log": {"type": "console"}}, "routes": {"sales": ["slak"]}}"#, "routes.sales[0]"),
        (#"{"channels": {"sms": {"to": ["+1"]}}}"#, "channels.sms.type"),
        (#"{"channels": {"sms": {"type": "pigeon"}}}"#, "channels.sms.type"),
        (#"{"channels": {"sms": {"type": "twilio", "from": "+1"}}}"#, "channels.sms.account_sid"),
        (#"{"channels": {"sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "t"}}}"#, "channels.sms.from"),
        (#"{"channels": {"sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "env:NOPE", "from": "+1"}}}"#, "channels.sms.auth_token"),
        (#"{"channels": {"sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+15550001111", "base_url": "ftp://x"}}}"#, "channels.sms.base_url"),
        (#"{"channels": {"s": {"type": "slack"}}}"#, "channels.s.webhook_url"),
        (#"{"channels": {"s": {"type": "slack", "webhook_url": "hooks.slack.com/x"}}}"#, "channels.s.webhook_url"),
        (#"{"channels": {"s": {"type": "slack", "webhook_url": "https://h/x", "from": "a"}}}"#, "channels.s.from"),
        (#"{"channels": {"m": {"type": "smtp", "from": "a@b"}}}"#, "channels.m.host"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "a@b\r\nBcc: c"}}}"#, "channels.m.from"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "a@b", "username": "u", "password": "p"}}}"#, "channels.m.username"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "a@b", "username": "u", "allow_insecure_auth": true}}}"#, "channels.m.password"),
        (#"{"channels": {"g": {"type": "sendgrid", "from": "a@b"}}}"#, "channels.g.api_key"),
        (#"{"channels": {"w": {"type": "webhook"}}}"#, "channels.w.url"),
        (#"{"users": {"type": "http"}}"#, "users.base_url"),
        (#"{"users": {"type": "ldap", "base_url": "http://u"}}"#, "users.type"),
        (#"{"channels": {"log": {"type": "console", "colour": "red"}}}"#, "channels.log.colour"),
        (#"{"channels": {"log": {"type": "console", "contact": "email", "to": ["a@b\r\nBcc: c"]}}}"#, "channels.log.to[0]"),
        (#"{"channels": {"log": {"type": "console", "to": ["a@example.com"]}}}"#, "channels.log.to"),
        (#"{"channels": {"bad name": {"type": "console"}}}"#, "channels.bad name"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "Herald <h@example.com>"}}}"#, "channels.m.from"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "h@example.com", "password": "p"}}}"#, "channels.m.username"),
        (#"{"channels": {"log": {"type": "console", "contact": "fax"}}}"#, "channels.log.contact"),
        (#"{"queue": {"max_attempts": 0}}"#, "queue.max_attempts"),
        (#"{"channels": {"log": {"type": "console", "rate_limit": {"burst": 3}}}}"#, "channels.log.rate_limit.per_second"),
        (#"{"channels": {"log": {"type": "console", "rate_limit": {"per_second": 0}}}}"#, "channels.log.rate_limit.per_second"),
        (#"{"channels": {"log": {"type": "console", "rate_limit": {"per_second": 1, "burst": 0}}}}"#, "channels.log.rate_limit.burst"),
        (#"{"queue": {"max_attempts": "5"}}"#, "queue.max_attempts"),
        (#"{"queue": {"kind": "kafka"}}"#, "queue.kind"),
        (#"{"queue": {"kind": "redis", "redis_url": "http://localhost"}}"#, "queue.redis_url"),
        (#"{"queue": {"kind": "redis", "redis_url": "redis://h:99999"}}"#, "queue.redis_url"),
        (#"{"queue": {"key_prefix": "a{b}"}}"#, "queue.key_prefix"),
        (#"{"queue": {"key_prefix": "a#1"}}"#, "queue.key_prefix"),
        (#"{"queue": {"kind": "redis", "partitions": 0}}"#, "queue.partitions"),
        (#"{"queue": {"kind": "redis", "partitions": 1025}}"#, "queue.partitions"),
        (#"{"queue": {"kind": "memory", "partitions": 4}}"#, "queue.partitions"),
        (#"{"queue": {"kind": "redis", "partitions": "4"}}"#, "queue.partitions"),
        (#"{"queue": {"backoff": {"initial_ms": 500, "max_ms": 100}}}"#, "queue.backoff.max_ms"),
        (#"{"http": {"port": 70000}}"#, "http.port"),
        (#"{"htpp": {}}"#, "htpp"),
        (#"{"users": [{"email": "a@example.com"}]}"#, "users[0].id"),
        (#"{"users": [{"id": "1", "preferred_channel": "fax"}]}"#, "users[0].preferred_channel"),
        (#"{"templates": {"welcome": {"subject": "Hi {{name"}}}"#, "templates.welcome.body"),
        (#"{"templates": {"welcome": {"body": "Hi {{name"}}}"#, "templates.welcome.body"),
        (#"{"templates": {"welcome": {"subject": "{{}}", "body": "x"}}}"#, "templates.welcome.subject"),
        ("[]", ""),
    ])
    func invalidConfigurationsNameTheJSONPath(json: String, path: String) {
        expectInvalid(json, at: path)
    }

    @Test(arguments: [
        ("{\n  \"http\": {\"port\": 8080},\n}", #"herald.json is not valid JSON: line 2, column 25: trailing comma"#),
        ("{\n  \"channels\": {\n    \"sms\": {\"type\": \"console\"},\n    \"sms\": {\"type\": \"console\"}\n  }\n}",
         #"herald.json is not valid JSON: line 4, column 5: duplicate key "sms""#),
        ("{\"queue\": {\"max_attempts\": 3} /* three */}", "herald.json is not valid JSON: line 1, column 31: comments are not allowed"),
    ])
    func invalidJSONNamesItsLineAndColumn(json: String, message: String) {
        let error = #expect(throws: HeraldError.self) { try decode(json) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.field == "")
        #expect(error?.message == message)
    }

    @Test(arguments: [
        (#"{"users": [{"id": ".."}]}"#, "users[0].id"),
        (#"{"users": [{"id": "1"}, {"id": "a/b"}]}"#, "users[1].id"),
        (#"{"users": [{"id": "1", "email": "a@x>,<b@y"}]}"#, "users[0].email"),
        (#"{"users": [{"id": "1", "email": "ana@example.com", "sms": "+1"}]}"#, "users[0].sms"),
        (#"{"channels": {"m": {"type": "smtp", "host": "h", "from": "h@example.com", "to": ["a@x>,<b@y"]}}}"#, "channels.m.to[0]"),
        (#"{"channels": {"sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+15550001111", "to": ["+15550003333", "555"]}}}"#, "channels.sms.to[1]"),
        (#"{"channels": {"sms": {"type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+1"}}}"#, "channels.sms.from"),
        (#"{"channels": {"g": {"type": "sendgrid", "api_key": "k", "from": "Herald <h@example.com>"}}}"#, "channels.g.from"),
        (#"{"channels": {"log": {"type": "console", "contact": "sms", "to": ["ana@example.com"]}}}"#, "channels.log.to[0]"),
    ])
    func idsAndAddressesOutsideTheAddressRulesNameTheirJSONPath(json: String, path: String) {
        expectInvalid(json, at: path)
    }

    @Test func configurationsBuiltInCodeAreHeldToTheAddressRules() {
        var badUser = HeraldConfiguration()
        badUser.users = .inline([UserProfile(id: "1"), UserProfile(id: "..")])
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "users[1].id")) { try badUser.validate() }
        var badContact = HeraldConfiguration()
        badContact.users = .inline([UserProfile(id: "1", contact: Contact(email: "a@x>,<b@y"))])
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "users[0].email")) { try badContact.validate() }
        var badTo = HeraldConfiguration()
        badTo.channels["log"] = HeraldConfiguration.ChannelSettings(kind: .console, contactKind: .sms, to: ["+1"])
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "channels.log.to[0]")) { try badTo.validate() }
    }

    @Test func httpConnectionLimitsAndTimeoutsAreConfigurable() throws {
        let defaults = try decode("{}").http
        #expect(defaults.maxConnections == 10_000)
        #expect(defaults.firstByteTimeout == .seconds(5))
        #expect(defaults.idleTimeout == .seconds(60))
        #expect(defaults.headerTimeout == .seconds(10))
        #expect(defaults.bodyTimeout == .seconds(30))
        let http = try decode("""
            {"http": {"max_connections": 20, "first_byte_timeout_s": 2, "idle_timeout_s": 120,
                      "header_timeout_s": 3, "body_timeout_s": 40}}
            """).http
        #expect(http.maxConnections == 20)
        #expect(http.firstByteTimeout == .seconds(2))
        #expect(http.idleTimeout == .seconds(120))
        #expect(http.headerTimeout == .seconds(3))
        #expect(http.bodyTimeout == .seconds(40))
    }

    @Test(arguments: [
        (#"{"http": {"max_connections": 0}}"#, "http.max_connections"),
        (#"{"http": {"max_connections": 100001}}"#, "http.max_connections"),
        (#"{"http": {"max_connections": "many"}}"#, "http.max_connections"),
        (#"{"http": {"first_byte_timeout_s": 0}}"#, "http.first_byte_timeout_s"),
        (#"{"http": {"idle_timeout_s": 0.5}}"#, "http.idle_timeout_s"),
        (#"{"http": {"header_timeout_s": 3601}}"#, "http.header_timeout_s"),
        (#"{"http": {"body_timeout_s": -1}}"#, "http.body_timeout_s"),
        (#"{"http": {"max_connection": 5}}"#, "http.max_connection"),
    ])
    func httpConnectionLimitsOutOfRangeNameTheirPath(json: String, path: String) {
        expectInvalid(json, at: path)
    }

    @Test func decodesEveryChannelType() throws {
        let configuration = try decode("""
            {"channels": {
              "slack": {"type": "slack", "webhook_url": "env:SLACK_URL", "timeout_ms": 2500},
              "email": {"type": "smtp", "host": "127.0.0.1", "port": 2525, "from": "herald@example.com", "to": ["ops@example.com"],
                        "username": "u", "password": "env:SMTP_PASSWORD", "allow_insecure_auth": true},
              "mail2": {"type": "sendgrid", "api_key": "env:SENDGRID_KEY", "from": "herald@example.com", "base_url": "http://127.0.0.1:9"},
              "sms": {"type": "twilio", "account_sid": "AC123", "auth_token": "tok", "from": "+15550001111", "to": ["+15550003333"],
                      "rate_limit": {"per_second": 1, "burst": 3}},
              "hook": {"type": "webhook", "url": "https://example.com/notify", "secret": "whsec_c2VjcmV0"}},
             "users": {"type": "http", "base_url": "http://users.internal", "cache_s": 10}}
            """, environment: ["SLACK_URL": "https://hooks.slack.com/services/T/B/X", "SMTP_PASSWORD": "pw", "SENDGRID_KEY": "SG.k"])
        #expect(configuration.channels["slack"] == .init(
            kind: .slack(webhookURL: Secret("https://hooks.slack.com/services/T/B/X")), timeout: .milliseconds(2500)))
        #expect(configuration.channels["email"] == .init(
            kind: .smtp(.init(host: "127.0.0.1", port: 2525, from: "herald@example.com", username: "u", password: Secret("pw"),
                              allowInsecureAuth: true)),
            to: ["ops@example.com"]))
        #expect(configuration.channels["email"]?.contactKind == .email)
        #expect(configuration.channels["mail2"]?.kind == .sendgrid(
            apiKey: Secret("SG.k"), from: "herald@example.com", baseURL: URL(string: "http://127.0.0.1:9")!))
        #expect(configuration.channels["sms"]?.contactKind == .sms)
        #expect(configuration.channels["sms"]?.kind == .twilio(
            accountSID: "AC123", authToken: Secret("tok"), from: "+15550001111", baseURL: URL(string: "https://api.twilio.com")!))
        #expect(configuration.channels["hook"]?.contactKind == nil)
        #expect(configuration.users == .http(
            baseURL: URL(string: "http://users.internal")!, cache: .seconds(10), timeout: .seconds(5)))
        #expect(!"\(configuration)".contains("pw\"") && !"\(configuration)".contains("SG.k") && !"\(configuration)".contains("/T/B/X"))
    }

    @Test func theContractsExampleConfigurationLoads() throws {
        let json = #"""
{
  "http":    { "host": "127.0.0.1", "port": 8080, "max_body_bytes": 65536 },
  "queue":   { "kind": "memory", "redis_url": "redis://:password@127.0.0.1:6379/0", "key_prefix": "herald",
               "max_attempts": 5, "backoff": { "initial_ms": 500, "max_ms": 60000 },
               "visibility_timeout_s": 60 },
  "workers": { "concurrency": 8, "shutdown_timeout_s": 8 },
  "channels": {
    "slack": { "type": "slack",    "webhook_url": "https://hooks.slack.com/services/T/B/X" },
    "email": { "type": "smtp",     "host": "127.0.0.1", "port": 25, "from": "herald@example.com",
               "to": ["product@example.com"] },
    "mail2": { "type": "sendgrid", "api_key": "env:SENDGRID_KEY", "from": "herald@example.com",
               "to": ["ops@example.com"], "base_url": "https://api.sendgrid.com" },
    "sms":   { "type": "twilio",   "account_sid": "AC...", "auth_token": "env:TWILIO_TOKEN",
               "from": "+15550001111", "to": ["+15550003333"], "base_url": "https://api.twilio.com",
               "rate_limit": { "per_second": 1, "burst": 3 } },
    "hook":  { "type": "webhook",  "url": "https://example.com/notify", "secret": "env:HOOK_SECRET" },
    "log":   { "type": "console" }
  },
  "routes":    { "sales": ["slack"], "pricing": ["email"], "purchase": ["slack", "email", "sms"] },
  "users":     [ { "id": "123", "email": "ana@example.com", "sms": "+15550002222",
                   "preferred_channel": "email", "muted_topics": ["pricing"] } ],
  "templates": { "welcome": { "subject": "Welcome, {{name}}", "body": "Hi {{name}}, thanks for joining." } }
}
"""#
        let configuration = try decode(json, environment: ["SENDGRID_KEY": "k", "TWILIO_TOKEN": "t", "HOOK_SECRET": "s"])
        #expect(configuration.channels.count == 6)
        #expect(configuration.channels["sms"]?.rateLimit == RateLimit(perSecond: 1, burst: 3))
        #expect(configuration.routes["purchase"] == ["slack", "email", "sms"])
        #expect(try configuration.templateCatalog().templates.count == 1)
    }

    @Test func secretsCanComeFromTheEnvironment() throws {
        let configuration = try HeraldConfiguration.decode(
            Data(#"{"queue": {"redis_url": "env:REDIS_URL"}}"#.utf8), environment: ["REDIS_URL": "redis://:pw@h:6379/0"])
        #expect(configuration.queue.redisURL?.value == "redis://:pw@h:6379/0")
        #expect("\(configuration.queue.redisURL!)" == "<redacted>")
        #expect(!"\(configuration)".contains("pw@"))
    }

    @Test func redisQueueDefaultsToTheLocalServerAndHidesThePassword() throws {
        let configuration = try decode(#"{"queue": {"kind": "redis"}}"#)
        #expect(try configuration.redisConfiguration() == RedisConfiguration(url: "redis://127.0.0.1:6379/0"))
        #expect {
            try decode(#"{"queue": {"kind": "redis", "redis_url": "redis://:hunter2@h:99999"}}"#)
        } throws: { error in
            !"\(error)".contains("hunter2")
        }
    }

    @Test func aMissingEnvironmentSecretIsAnError() {
        expectInvalid(#"{"queue": {"redis_url": "env:NOPE"}}"#, at: "queue.redis_url")
    }

    @Test func environmentOverridesHostPortAndRedis() throws {
        var configuration = HeraldConfiguration.embeddedDefault
        try configuration.applyOverrides(from: ["HERALD_HOST": "0.0.0.0", "HERALD_PORT": "9999", "HERALD_REDIS_URL": "redis://r:6379"])
        #expect(configuration.http.host == "0.0.0.0")
        #expect(configuration.http.port == 9999)
        #expect(configuration.queue.kind == .redis)
        #expect(configuration.queue.redisURL?.value == "redis://r:6379")
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "HERALD_PORT")) {
            try configuration.applyOverrides(from: ["HERALD_PORT": "http"])
        }
    }

    @Test func loadReadsTheFileNamedByHeraldConfig() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID()).json").path
        try Data(#"{"http": {"port": 9191}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try HeraldConfiguration.load(environment: ["HERALD_CONFIG": path]).http.port == 9191)
        #expect(try HeraldConfiguration.load(path: path, environment: ["HERALD_PORT": "9292"]).http.port == 9292)
    }

    @Test func noConfigurationIsTheEmbeddedDefault() throws {
        let configuration = try HeraldConfiguration.load(environment: [:])
        #expect(configuration == .embeddedDefault)
        #expect(configuration.queue.kind == .memory)
        #expect(Set(configuration.channels.keys) == ["slack", "email", "sms"])
        #expect(configuration.routes["sales"] == ["slack"])
        #expect(configuration.routes["pricing"] == ["email"])
    }

    @Test func anUnreadableFileIsAConfigurationError() {
        #expect(throws: HeraldError(.invalidConfiguration, "", field: "")) {
            try HeraldConfiguration.load(path: "/nonexistent/herald.json", environment: [:])
        }
    }
}
