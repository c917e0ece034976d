extension Herald {
    /// What ``Herald/run()`` runs in this process.
    public struct Roles: OptionSet, Hashable, Sendable {
        public let rawValue: Int

        public init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// Workers deliver queued notifications (`workers.concurrency` at a time).
        public static let workers = Roles(rawValue: 1 << 0)
        /// The embedded HTTP server serves ``Herald/api`` on `http.host:http.port`.
        public static let server = Roles(rawValue: 1 << 1)
        /// Without ``server``: the embedded HTTP server on `http.host:http.port` answers only `/healthz`, `/readyz`
        /// and `/metrics` (``HeraldAPI/probesOnly()``), so a worker process can be scraped and probed.
        public static let metrics = Roles(rawValue: 1 << 2)
    }
}
