extension HTTPServer {
    /// Limits and timeouts of the embedded server.
    package struct Configuration: Hashable, Sendable {
        package var host: String
        /// The port to bind; 0 lets the system pick one (see ``HTTPServer/port``).
        package var port: Int
        /// The largest request body, inclusive; larger ones get `413`.
        package var maxBodyBytes: Int
        /// The largest request head (request line and headers); larger ones get `431`.
        package var maxHeaderBytes: Int
        /// How long a client may take to send a request's head once it started (slow clients get `408`).
        package var headerTimeout: Duration
        /// How long a client may take to send a request's body (slow clients get `408`).
        package var bodyTimeout: Duration
        /// How long a keep-alive connection may wait for its next request before it is closed.
        package var idleTimeout: Duration
        /// How long a new connection may wait before sending its first byte before it is closed.
        package var firstByteTimeout: Duration
        /// Connections served at once. A new one over the cap closes the connection idle longest; when
        /// every connection is busy, the new one is answered `503` and closed.
        package var maxConnections: Int
        /// How long shutdown waits for in-flight requests before closing their connections.
        package var shutdownTimeout: Duration

        package init(
            host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 65536, maxHeaderBytes: Int = 16 * 1024,
            headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60), firstByteTimeout: Duration = .seconds(5), maxConnections: Int = 10_000,
            shutdownTimeout: Duration = .seconds(10)
        ) {
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
            self.firstByteTimeout = firstByteTimeout
            self.maxConnections = maxConnections
            self.shutdownTimeout = shutdownTimeout
        }
    }
}
