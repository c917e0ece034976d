import HeraldHTTP

extension HTTPServer.Configuration {
    /// The server configuration `herald.json`'s `http` section describes.
    init(_ http: HeraldConfiguration.HTTPSettings) {
        self.init(
            host: http.host, port: http.port, maxBodyBytes: http.maxBodyBytes, headerTimeout: http.headerTimeout,
            bodyTimeout: http.bodyTimeout, idleTimeout: http.idleTimeout, firstByteTimeout: http.firstByteTimeout,
            maxConnections: http.maxConnections)
    }
}
