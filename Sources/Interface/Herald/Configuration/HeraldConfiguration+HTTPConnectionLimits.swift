extension HeraldConfiguration {
    /// The `http` keys that bound connections: how many, and how long each phase may take.
    static let httpConnectionKeys: Set<String> = [
        "max_connections", "idle_timeout_s", "first_byte_timeout_s", "header_timeout_s", "body_timeout_s",
    ]

    /// Decodes ``httpConnectionKeys`` from the `http` section's fields; the ranges keep every limit usable.
    static func decodeHTTPConnectionLimits(
        _ fields: [String: ConfigurationNode], into http: inout HTTPSettings
    ) throws(HeraldError) {
        if let count = fields["max_connections"] { http.maxConnections = try count.integer(in: 1...100_000) }
        if let timeout = fields["idle_timeout_s"] { http.idleTimeout = .seconds(try timeout.integer(in: 1...86_400)) }
        if let timeout = fields["first_byte_timeout_s"] {
            http.firstByteTimeout = .seconds(try timeout.integer(in: 1...3600))
        }
        if let timeout = fields["header_timeout_s"] { http.headerTimeout = .seconds(try timeout.integer(in: 1...3600)) }
        if let timeout = fields["body_timeout_s"] { http.bodyTimeout = .seconds(try timeout.integer(in: 1...86_400)) }
    }
}
