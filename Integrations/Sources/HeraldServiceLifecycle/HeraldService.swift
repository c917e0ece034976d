public import Herald
public import ServiceLifecycle

/// A ``Herald`` as a swift-service-lifecycle `Service`, to run in a host's `ServiceGroup` beside its HTTP server.
///
/// `run()` runs ``Herald/run()``: a graceful shutdown of the group (SIGTERM, or
/// `triggerGracefulShutdown()`) becomes ``Herald/stop()``, so workers take no new work, in-flight deliveries
/// finish (or return to the queue after `workers.shutdown_timeout_s`) and `run()` returns; cancelling the task
/// stops it the same way.
///
/// ```swift
/// let group = ServiceGroup(
///     services: [HeraldService(herald), app], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public struct HeraldService: Service {
    /// The instance this service runs; its `run()` may be called once, so give each service its own.
    public let herald: Herald

    public init(_ herald: Herald) {
        self.herald = herald
    }

    public func run() async throws {
        let herald = herald
        try await withGracefulShutdownHandler {
            try await herald.run()
        } onGracefulShutdown: {
            herald.stop()
        }
    }
}
