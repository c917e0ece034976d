import Herald

/// `herald check-config`: validates the configuration and summarises it.
enum CheckConfigCommand: Subcommand {
    static let name = "check-config"
    static let summary = "validate the configuration and print a summary"
    static let valueOptions: Set<String> = []
    static let help = """
        Usage: herald check-config [--config PATH]

        Loads the configuration (file, then environment overrides), validates it, and prints what it
        configures. Exits 1 listing every problem, each with its JSON path (and "did you mean"
        for a misspelled key or channel name), when it is invalid.
        """

    static func run(_ arguments: CommandLineArguments) async throws -> Int32 {
        try arguments.rejectUnknownFlags([])
        let configuration = try arguments.loadConfiguration()
        let channels = configuration.channels.keys.sorted().map {
            "\($0) (\(Self.describe(configuration.channels[$0]!)))"
        }
        let routes = configuration.routes.keys.sorted().map {
            "\($0) → \(configuration.routes[$0]!.channels.map(\.rawValue).joined(separator: configuration.routes[$0]!.isFallback ? " then " : ", "))"
        }
        let userCount: Int =
            switch configuration.users {
            case .inline(let profiles): profiles.count
            case .http: 0
            }
        let templates = configuration.templates.keys.sorted().map(\.rawValue).joined(separator: ", ")
        let access = configuration.http.access
        print("""
            configuration OK
              queue:     \(configuration.queue.kind.rawValue), max_attempts \(configuration.queue.maxAttempts)
              http:      \(configuration.http.host):\(configuration.http.port)
              access:    \(Self.describe(access))
              channels:  \(channels.joined(separator: ", "))
              routes:    \(routes.joined(separator: "; "))
              users:     \(configuration.users.isRemote ? "remote user service" : "\(userCount)")
              templates: \(templates.isEmpty ? "none" : templates)
            """)
        return 0
    }

    /// The channel's type, and for push channels what their checked credentials are (never the key itself).
    private static func describe(_ channel: HeraldConfiguration.ChannelSettings) -> String {
        switch channel.kind {
        case .apns(let apns):
            "apns, team \(apns.teamID), key \(apns.keyID), topic \(apns.topic), \(apns.environment.rawValue), P-256 key valid"
        case .fcm(let fcm):
            "fcm" + (fcm.projectID.map { ", project \($0)" } ?? "") + ", service account with a valid RSA key"
        default:
            channel.typeName
        }
    }

    /// The API keys by their scopes (`2 API keys (send; read, admin), /metrics public`), never the keys.
    private static func describe(_ access: HeraldConfiguration.AccessSettings) -> String {
        guard !access.apiKeys.isEmpty else {
            return access.allowUnauthenticated ? "no API keys (allow_unauthenticated)" : "no API keys"
        }
        let scopes = access.apiKeys.map { key in
            HeraldAPI.Scope.all.filter(key.scopes.contains).map(\.rawValue).joined(separator: ", ")
        }
        let count = access.apiKeys.count == 1 ? "1 API key" : "\(access.apiKeys.count) API keys"
        return "\(count) (\(scopes.joined(separator: "; ")))" + (access.publicMetrics ? ", /metrics public" : "")
    }
}
