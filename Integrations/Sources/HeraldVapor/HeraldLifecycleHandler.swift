public import Herald
import Synchronization
public import Vapor

/// Runs a ``Herald`` for as long as a Vapor application runs: ``Herald/run()`` starts when the application has
/// booted; at shutdown the handler calls ``Herald/stop()`` and waits for `run()` to return (in-flight deliveries
/// finished or back on the queue). A failing `run()` is logged to the application's logger.
///
/// ```swift
/// app.lifecycle.use(HeraldLifecycleHandler(herald))
/// ```
public final class HeraldLifecycleHandler: LifecycleHandler {
    private let herald: Herald
    private let running = Mutex<Task<Void, Never>?>(nil)

    /// - Parameter herald: an instance whose `run()` has not been called (it runs once).
    public init(_ herald: Herald) {
        self.herald = herald
    }

    public func didBoot(_ application: Application) throws {
        start(logger: application.logger)
    }

    public func didBootAsync(_ application: Application) async throws {
        start(logger: application.logger)
    }

    /// Stops Herald and waits for it on a thread outside Swift concurrency (Vapor's synchronous shutdown).
    public func shutdown(_ application: Application) {
        guard let task = stopAndTakeTask() else { return }
        let finished = DispatchSemaphore(value: 0)
        Task {
            await task.value
            finished.signal()
        }
        finished.wait()
    }

    public func shutdownAsync(_ application: Application) async {
        await stopAndTakeTask()?.value
    }

    private func start(logger: Logger) {
        let herald = herald
        running.withLock { running in
            guard running == nil else { return }
            running = Task {
                do {
                    try await herald.run()
                } catch {
                    logger.error("Herald stopped with an error", metadata: ["error": "\(error)"], source: "herald")
                }
            }
        }
    }

    private func stopAndTakeTask() -> Task<Void, Never>? {
        herald.stop()
        return running.withLock { running in
            defer { running = nil }
            return running
        }
    }
}
