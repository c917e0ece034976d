import HeraldApplication
import HeraldDomain
import HeraldHTTP
import HeraldRedis

extension Herald {
    /// Runs this instance: the start-up checks (on Redis: its version, eviction policy and persistence, each
    /// problem logged as a warning), then the ``roles`` — workers, and the embedded server when asked for —
    /// until the task is cancelled or ``stop()`` is called. Then it stops taking work, lets in-flight deliveries
    /// and requests finish (or returns them to the queue), closes its connections and returns.
    ///
    /// Call it once per instance. Fits swift-service-lifecycle (`HeraldServiceLifecycle` in the Integrations
    /// package maps its graceful shutdown to ``stop()``).
    /// - Throws: `invalid_configuration` when called twice or when `queue.partitions` differs from the count the
    ///   deployment's Redis records; the embedded server's bind error (address in use).
    public func run() async throws {
        guard lifecycle.start() else {
            throw HeraldError(.invalidConfiguration, "run() was already called on this Herald; make a new one")
        }
        defer {
            lifecycle.serverSettled.fire()
            backend.shutdown()
        }
        await logStartupWarnings()
        try await verifyQueueLayout()
        let server = try roles.contains(.server) || roles.contains(.metrics) ? makeServer() : nil
        try await withThrowingTaskGroup(of: Void.self) { group in
            if roles.contains(.workers) { group.addTask { try await worker.run() } }
            if let server {
                lifecycle.serverListens(on: server.port)
                group.addTask { await server.run() }
            }
            if metrics.hasSink { group.addTask { await sampleQueueDepth() } }
            group.addTask { await lifecycle.stopRequested.wait() }
            // The first child to return is the stop request (or a failure): everything else stops gracefully,
            // because the workers and the server treat cancellation as "finish what is in flight".
            _ = try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    /// The port the embedded server listens on, once ``run()`` has bound it (the bound one for `http.port` 0).
    /// - Throws: `not_supported` when this instance does not run the ``Roles/server`` role or `run()` ended
    ///   without binding.
    public func listeningPort() async throws -> Int {
        guard roles.contains(.server) || roles.contains(.metrics) else {
            throw HeraldError(.notSupported, "this Herald does not run the embedded server (roles: .server or .metrics)")
        }
        await lifecycle.serverSettled.wait()
        guard let port = lifecycle.port else {
            throw HeraldError(.notSupported, "the embedded server is not listening")
        }
        return port
    }

    private func makeServer() throws -> HTTPServer {
        let api = roles.contains(.server) ? api : api.probesOnly()
        return try HTTPServer(
            configuration: HTTPServer.Configuration(configuration.http),
            handler: { await api.handle($0) },
            rejectionObserver: { api.recordServerRejection(status: $0, reason: $1) },
            headCheck: { api.answerBeforeBody($0) })
    }

    private func logStartupWarnings() async {
        guard let redis = backend.redis else { return }
        for warning in await RedisServerCheck(client: redis).warnings() {
            logger.log(LogEntry(.warning, warning, metadata: ["redis": "\(redis.configuration)"]))
        }
    }

    /// Refuses to run with another `queue.partitions` than the deployment's. Redis being unreachable is not a
    /// reason to stop here (the queue reports it, and the processes already running keep the count recorded).
    private func verifyQueueLayout() async throws {
        guard let layout = backend.layout, let redis = backend.redis else { return }
        do {
            try await layout.verify()
        } catch let error as HeraldError where error.code == .invalidConfiguration {
            throw error
        } catch {
            logger.log(LogEntry(
                .warning, "cannot check queue.partitions against the deployment's (\(error))",
                metadata: ["redis": "\(redis.configuration)"]))
        }
    }

    /// Hands the queue's counts to the metrics sink every few seconds, until cancelled.
    private func sampleQueueDepth() async {
        while !Task.isCancelled {
            if let depth = try? await queue.depth() { metrics.recordDepth(depth) }
            try? await clock.sleep(for: .seconds(5))
        }
    }
}
