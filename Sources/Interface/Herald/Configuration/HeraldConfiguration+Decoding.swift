public import Foundation
public import HeraldDomain
import HeraldChannels
import HeraldRedis

extension HeraldConfiguration {
    /// Decodes a `herald.json` document. Every key is optional; unknown keys are errors, so a typo
    /// never silently falls back to a default.
    /// - Parameter environment: where `"env:NAME"` secrets are read from.
    /// - Throws: `invalid_configuration` whose ``HeraldError/field`` is the JSON path of the problem.
    public static func decode(_ data: Data, environment: [String: String] = [:]) throws(HeraldError)
        -> HeraldConfiguration
    {
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw HeraldError(
                .invalidConfiguration, "herald.json is not valid JSON: \(error)", field: "", underlying: error)
        }
        guard case .object = value else {
            throw HeraldError(.invalidConfiguration, "the configuration must be a JSON object", field: "")
        }
        let problems = ConfigurationProblems()
        let root = ConfigurationNode(value: value, path: "", environment: environment, problems: problems)
        let sections = try root.object(allowing: ["http", "queue", "workers", "channels", "routes", "users", "templates"])
        var configuration = HeraldConfiguration()
        if let node = sections["http"], let http = problems.collect({ () throws(HeraldError) in try decodeHTTP(node) }) {
            configuration.http = http
        }
        if let node = sections["queue"], let queue = problems.collect({ () throws(HeraldError) in try decodeQueue(node) }) {
            configuration.queue = queue
        }
        if let node = sections["workers"],
            let workers = problems.collect({ () throws(HeraldError) in try decodeWorkers(node) })
        {
            configuration.workers = workers
        }
        if let node = sections["channels"], let members = problems.collect({ () throws(HeraldError) in try node.object() }) {
            for (name, channel) in members.sorted(by: { $0.key < $1.key }) {
                guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) })
                else {
                    problems.record(
                        node.error("a channel name must be letters, digits, \"_\", \".\" or \"-\"", at: node.childPath(name)))
                    continue
                }
                if let settings = problems.collect({ () throws(HeraldError) in try decodeChannel(channel) }) {
                    configuration.channels[ChannelName(name)] = settings
                }
            }
        }
        if let node = sections["routes"], let members = problems.collect({ () throws(HeraldError) in try node.object() }) {
            for (topic, channels) in members.sorted(by: { $0.key < $1.key }) {
                guard !topic.isEmpty else {
                    problems.record(node.error("a topic must not be empty"))
                    continue
                }
                if let route = problems.collect({ () throws(HeraldError) in try channels.decoded(Route.init(json:path:)) }) {
                    configuration.routes[Topic(topic)] = route
                }
            }
        }
        if let node = sections["users"], let users = problems.collect({ () throws(HeraldError) in try decodeUsers(node) }) {
            configuration.users = users
        }
        if let node = sections["templates"], let members = problems.collect({ () throws(HeraldError) in try node.object() }) {
            for (name, template) in members.sorted(by: { $0.key < $1.key }) {
                let decoded = problems.collect { () throws(HeraldError) -> TemplateSettings in
                    try template.decoded(TemplateDefinition.init(json:path:))
                }
                if let decoded { configuration.templates[TemplateName(name)] = decoded }
            }
        }
        try problems.throwIfAny()
        return configuration
    }

    private static func decodeHTTP(_ node: ConfigurationNode) throws(HeraldError) -> HTTPSettings {
        let fields = try node.object(allowing: httpConnectionKeys.union(["host", "port", "max_body_bytes"]).union(accessKeys))
        var http = HTTPSettings()
        if let host = fields["host"] { http.host = try host.nonEmptyString() }
        if let port = fields["port"] { http.port = try port.integer(in: 0...65535) }
        if let limit = fields["max_body_bytes"] { http.maxBodyBytes = try limit.integer(in: 1...(64 << 20)) }
        http.access = try decodeAccess(fields)
        try decodeHTTPConnectionLimits(fields, into: &http)
        return http
    }

    private static func decodeQueue(_ node: ConfigurationNode) throws(HeraldError) -> QueueSettings {
        let fields = try node.object(allowing: [
            "kind", "redis_url", "key_prefix", "max_attempts", "backoff", "visibility_timeout_s", "record_retention_s",
            "dead_letter_max_count", "dead_letter_max_age_s", "memory_max_records", "min_replicas_ack",
            "replica_ack_timeout_ms", "partitions",
        ])
        var queue = QueueSettings()
        if let kind = fields["kind"] {
            guard let parsed = QueueKind(rawValue: try kind.string()) else {
                throw kind.error("must be \"memory\" or \"redis\"")
            }
            queue.kind = parsed
        }
        if let url = fields["redis_url"] { queue.redisURL = try url.secret() }
        if let prefix = fields["key_prefix"] {
            queue.keyPrefix = try prefix.nonEmptyString()
            guard !queue.keyPrefix.contains(where: { "{}#".contains($0) || $0.isWhitespace }) else {
                throw prefix.error("must not contain braces, # or spaces")
            }
        }
        if let attempts = fields["max_attempts"] { queue.maxAttempts = try attempts.integer(in: 1...100) }
        if let backoff = fields["backoff"] {
            let parts = try backoff.object(allowing: ["initial_ms", "max_ms"])
            if let initial = parts["initial_ms"] {
                queue.initialBackoff = .milliseconds(try initial.integer(in: 1...86_400_000))
            }
            if let max = parts["max_ms"] {
                queue.maxBackoff = .milliseconds(try max.integer(in: 1...86_400_000))
            } else {
                queue.maxBackoff = Swift.max(queue.maxBackoff, queue.initialBackoff)
            }
            if queue.maxBackoff < queue.initialBackoff {
                throw backoff.error("must not be smaller than initial_ms", at: backoff.childPath("max_ms"))
            }
        }
        if let timeout = fields["visibility_timeout_s"] {
            queue.visibilityTimeout = .seconds(try timeout.integer(in: 1...86_400))
        }
        if let retention = fields["record_retention_s"] {
            queue.recordRetention = .seconds(try retention.integer(in: 86_400...(366 * 86_400)))
        }
        if let count = fields["dead_letter_max_count"] { queue.deadLetterMaxCount = try count.integer(in: 1...10_000_000) }
        if let count = fields["memory_max_records"] { queue.memoryMaxRecords = try count.integer(in: 1...10_000_000) }
        if let count = fields["min_replicas_ack"] { queue.minReplicasAck = try count.integer(in: 0...16) }
        if let count = fields["partitions"] { queue.partitions = try count.integer(in: 1...RedisPartitionMap.maximum) }
        if let timeout = fields["replica_ack_timeout_ms"] {
            queue.replicaAckTimeout = .milliseconds(try timeout.integer(in: 1...60_000))
        }
        if let age = fields["dead_letter_max_age_s"] {
            queue.deadLetterMaxAge = .seconds(try age.integer(in: 60...(366 * 86_400)))
        }
        return queue
    }

    private static func decodeWorkers(_ node: ConfigurationNode) throws(HeraldError) -> WorkerSettings {
        let fields = try node.object(allowing: ["concurrency", "shutdown_timeout_s", "batch"])
        var workers = WorkerSettings()
        if let concurrency = fields["concurrency"] { workers.concurrency = try concurrency.integer(in: 1...1024) }
        if let batch = fields["batch"] { workers.batch = try batch.integer(in: 1...1024) }
        if let timeout = fields["shutdown_timeout_s"] {
            workers.shutdownTimeout = .seconds(try timeout.integer(in: 0...3600))
        }
        return workers
    }

    /// Keys every channel type accepts, besides its own.
    private static let commonChannelKeys: Set<String> = ["type", "to", "rate_limit", "timeout_ms", "throttle"]

    /// `{"limit": 5, "window_s": 3600}`: at most `limit` notifications per user within any `window_s` seconds.
    private static func decodeThrottle(_ node: ConfigurationNode) throws(HeraldError) -> Throttle {
        guard case .object(let members) = node.value else { throw node.error("must be an object, not \(node.value.typeName)") }
        return try node.decoded { _, path throws(HeraldError) in try Throttle(json: members, path: path) }
    }

    private static func decodeChannel(_ node: ConfigurationNode) throws(HeraldError) -> ChannelSettings {
        let fields = try node.object()
        guard let typeNode = fields["type"] else { throw node.error("missing", at: node.childPath("type")) }
        let type = try typeNode.string()
        let kind: ChannelSettings.Kind
        var contactKind: ContactKind?
        switch type {
        case "console", "custom":
            _ = try node.object(allowing: commonChannelKeys.union(["contact"]))
            kind = type == "custom" ? .custom : .console
            if let contact = fields["contact"] {
                guard let parsed = ContactKind(rawValue: try contact.string()) else {
                    throw contact.error("must be \"email\", \"sms\", \"apns\" or \"fcm\"")
                }
                contactKind = parsed
            }
        case "slack":
            _ = try node.object(allowing: commonChannelKeys.union(["webhook_url"]))
            let url = try required("webhook_url", in: fields, of: node).secret()
            _ = try fields["webhook_url"]!.url(url.value)
            kind = .slack(webhookURL: url)
        case "smtp":
            kind = .smtp(try decodeSMTP(node, fields))
        case "sendgrid":
            _ = try node.object(allowing: commonChannelKeys.union(["api_key", "from", "base_url"]))
            kind = .sendgrid(
                apiKey: try required("api_key", in: fields, of: node).secret(),
                from: try required("from", in: fields, of: node).address(of: .email),
                baseURL: try fields["base_url"].map { node throws(HeraldError) in try node.url(node.nonEmptyString()) }
                    ?? URL(string: "https://api.sendgrid.com")!)
        case "twilio":
            _ = try node.object(allowing: commonChannelKeys.union(["account_sid", "auth_token", "from", "base_url"]))
            kind = .twilio(
                accountSID: try accountSID(required("account_sid", in: fields, of: node)),
                authToken: try required("auth_token", in: fields, of: node).secret(),
                from: try required("from", in: fields, of: node).address(of: .sms),
                baseURL: try fields["base_url"].map { node throws(HeraldError) in try node.url(node.nonEmptyString()) }
                    ?? URL(string: "https://api.twilio.com")!)
        case "webhook":
            _ = try node.object(allowing: commonChannelKeys.union(["url", "secret"]))
            let url = try required("url", in: fields, of: node).secret()
            _ = try fields["url"]!.url(url.value)
            let secret = try fields["secret"]?.secret()
            if let secret, secret.value.hasPrefix("whsec_"), Data(base64Encoded: String(secret.value.dropFirst(6))) == nil {
                throw fields["secret"]!.error("a whsec_ secret must be base64 after the prefix")
            }
            kind = .webhook(url: url, secret: secret)
        case "apns":
            kind = .apns(try decodeAPNs(node, fields))
        case "fcm":
            kind = .fcm(try decodeFCM(node, fields))
        default:
            throw typeNode.error(
                "unknown channel type \"\(type)\" (console, slack, smtp, sendgrid, twilio, webhook, apns, fcm or custom)")
        }
        var channel = ChannelSettings(kind: kind, contactKind: contactKind)
        if let rateLimit = fields["rate_limit"] {
            let parts = try rateLimit.object(allowing: ["per_second", "burst"])
            guard let perSecond = parts["per_second"] else {
                throw rateLimit.error("missing", at: rateLimit.childPath("per_second"))
            }
            channel.rateLimit = RateLimit(
                perSecond: try perSecond.number(in: 0.001...1_000_000), burst: try parts["burst"]?.integer(in: 1...1_000_000) ?? 1)
        }
        if let throttle = fields["throttle"] { channel.throttle = try decodeThrottle(throttle) }
        if let timeout = fields["timeout_ms"] { channel.timeout = .milliseconds(try timeout.integer(in: 100...600_000)) }
        if let to = fields["to"] {
            guard let contactKind = channel.contactKind else {
                throw to.error("only channels that send to an address use \"to\" (smtp, sendgrid, twilio, or console with \"contact\")")
            }
            channel.to = []
            for element in try to.elements() { channel.to.append(try element.address(of: contactKind)) }
        }
        return channel
    }

    private static func decodeSMTP(_ node: ConfigurationNode, _ fields: [String: ConfigurationNode]) throws(HeraldError)
        -> ChannelSettings.SMTPSettings
    {
        _ = try node.object(allowing: commonChannelKeys.union([
            "host", "port", "from", "helo_name", "username", "password", "allow_insecure_auth",
        ]))
        var smtp = ChannelSettings.SMTPSettings(
            host: try required("host", in: fields, of: node).nonEmptyString(),
            from: try required("from", in: fields, of: node).address(of: .email))
        if let port = fields["port"] { smtp.port = try port.integer(in: 1...65535) }
        if let name = fields["helo_name"] { smtp.heloName = try address(name) }
        if let username = fields["username"] { smtp.username = try username.nonEmptyString() }
        if let password = fields["password"] { smtp.password = try password.secret() }
        if let flag = fields["allow_insecure_auth"] { smtp.allowInsecureAuth = try flag.bool() }
        if smtp.password != nil, smtp.username == nil {
            throw node.error("missing (password is set)", at: node.childPath("username"))
        }
        if smtp.username != nil, smtp.password == nil {
            throw node.error("missing (username is set)", at: node.childPath("password"))
        }
        if smtp.username != nil, !smtp.allowInsecureAuth {
            throw node.error(
                "AUTH would send the password in clear text (Herald's SMTP client has no TLS); use a local relay, "
                    + "or set allow_insecure_auth: true",
                at: node.childPath("username"))
        }
        return smtp
    }

    private static func decodeAPNs(_ node: ConfigurationNode, _ fields: [String: ConfigurationNode]) throws(HeraldError)
        -> ChannelSettings.APNSSettings
    {
        _ = try node.object(allowing: commonChannelKeys.union([
            "team_id", "key_id", "private_key", "topic", "environment", "base_url", "expiration_s",
        ]))
        func identifier(_ key: String) throws(HeraldError) -> String {
            let field = try required(key, in: fields, of: node)
            let text = try field.nonEmptyString()
            guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw field.error("must be letters and digits (Apple's 10-character id)")
            }
            return text
        }
        let keyNode = try required("private_key", in: fields, of: node)
        let privateKey = try keyNode.secret()
        do {
            try APNSChannel.validateKey(pem: privateKey.value)
        } catch {
            throw keyNode.error(error.message)
        }
        let topicNode = try required("topic", in: fields, of: node)
        let topic = try topicNode.nonEmptyString()
        guard topic.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw topicNode.error("must be the app's bundle id (no spaces)")
        }
        var environment = ChannelSettings.APNSSettings.Environment.production
        if let environmentNode = fields["environment"] {
            guard let parsed = ChannelSettings.APNSSettings.Environment(rawValue: try environmentNode.string()) else {
                throw environmentNode.error("must be \"production\" or \"sandbox\"")
            }
            environment = parsed
        }
        return ChannelSettings.APNSSettings(
            teamID: try identifier("team_id"), keyID: try identifier("key_id"), privateKey: privateKey, topic: topic,
            environment: environment,
            baseURL: try fields["base_url"].map { node throws(HeraldError) in try node.url(node.nonEmptyString()) },
            expiration: .seconds(try fields["expiration_s"]?.integer(in: 0...2_592_000) ?? 86_400))
    }

    private static func decodeFCM(_ node: ConfigurationNode, _ fields: [String: ConfigurationNode]) throws(HeraldError)
        -> ChannelSettings.FCMSettings
    {
        _ = try node.object(allowing: commonChannelKeys.union(["service_account", "project_id", "base_url", "token_url"]))
        let accountNode = try required("service_account", in: fields, of: node)
        let serviceAccount = try accountNode.secret()
        let account: FCMServiceAccount
        do {
            account = try FCMServiceAccount(json: serviceAccount.value)
        } catch {
            throw accountNode.error(error.message)
        }
        var projectID: String?
        if let projectNode = fields["project_id"] {
            let text = try projectNode.nonEmptyString()
            guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw projectNode.error("must be letters, digits and hyphens")
            }
            projectID = text
        }
        guard projectID != nil || account.projectID != nil else {
            throw node.error("missing (the service account has no project_id)", at: node.childPath("project_id"))
        }
        return ChannelSettings.FCMSettings(
            serviceAccount: serviceAccount, projectID: projectID,
            baseURL: try fields["base_url"].map { node throws(HeraldError) in try node.url(node.nonEmptyString()) },
            tokenURL: try fields["token_url"].map { node throws(HeraldError) in try node.url(node.nonEmptyString()) })
    }

    private static func required(
        _ key: String, in fields: [String: ConfigurationNode], of node: ConfigurationNode
    ) throws(HeraldError) -> ConfigurationNode {
        guard let field = fields[key] else { throw node.error("missing", at: node.childPath(key)) }
        return field
    }

    /// A Twilio account SID, literal or `env:NAME`; it goes into the URL path, so no `/`, `?`, `#`, `%` or spaces.
    private static func accountSID(_ node: ConfigurationNode) throws(HeraldError) -> String {
        let sid = try node.secret().value
        guard sid.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"/?#%".contains($0) }) else {
            throw node.error("must not contain /, ?, #, % or spaces")
        }
        return sid
    }

    /// A non-empty single-line value (an address or a name that ends up in a protocol line).
    private static func address(_ node: ConfigurationNode) throws(HeraldError) -> String {
        let text = try node.nonEmptyString()
        guard !text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            throw node.error("must not contain CR or LF")
        }
        return text
    }

    private static func decodeUsers(_ node: ConfigurationNode) throws(HeraldError) -> UserDirectorySettings {
        if case .object = node.value {
            let fields = try node.object(allowing: ["type", "base_url", "cache_s", "timeout_ms"])
            guard try fields["type"]?.string() == "http" else {
                throw node.error("must be a list of users or {\"type\": \"http\", \"base_url\": ...}", at: node.childPath("type"))
            }
            let base = try required("base_url", in: fields, of: node)
            return .http(
                baseURL: try base.url(base.nonEmptyString()),
                cache: .seconds(try fields["cache_s"]?.integer(in: 0...86_400) ?? 30),
                timeout: .milliseconds(try fields["timeout_ms"]?.integer(in: 100...60_000) ?? 5000))
        }
        var profiles: [UserProfile] = []
        for element in try node.elements() {
            let fields = try element.object(
                allowing: ["id", "email", "sms", "devices", "preferred_channel", "muted_topics", "preferences", "timezone",
                           "quiet_hours"])
            guard let idNode = fields["id"] else { throw element.error("missing", at: element.childPath("id")) }
            let id: String
            if case .number = idNode.value { id = String(try idNode.integer(in: 0...Int.max)) } else {
                id = try idNode.nonEmptyString()
            }
            guard AddressRules.isValidUserID(id) else { throw idNode.error(AddressRules.userIDRule) }
            let contact = Contact(
                email: try fields["email"]?.address(of: .email), sms: try fields["sms"]?.address(of: .sms),
                devices: try fields["devices"]?.devices() ?? [])
            let optOuts = try fields["preferences"].map { node throws(HeraldError) in
                do throws(HeraldError) {
                    return try UserPreferences.optOuts(from: node.value, field: node.path)
                } catch {
                    throw node.error(error.message, at: error.field)
                }
            }
            let preferences = UserPreferences(
                preferredChannel: try fields["preferred_channel"].map { node throws(HeraldError) in ChannelName(try node.nonEmptyString()) },
                mutedTopics: Set(try fields["muted_topics"]?.strings().map(Topic.init(rawValue:)) ?? []),
                channelOptOuts: optOuts?.channels ?? [], topicOptOuts: optOuts?.topics ?? [:],
                timeZone: try fields["timezone"].map { node throws(HeraldError) in
                    let name = try node.string()
                    do throws(HeraldError) { try UserPreferences.validate(timeZone: name, field: node.path) } catch {
                        throw node.error(error.message)
                    }
                    return name
                },
                quietHours: try fields["quiet_hours"].map { node throws(HeraldError) in
                    do throws(HeraldError) { return try QuietHours.parse(node.value, field: node.path) } catch {
                        throw node.error(error.message, at: error.field)
                    }
                })
            profiles.append(UserProfile(id: UserID(id), contact: contact, preferences: preferences))
        }
        return .inline(profiles)
    }
}
