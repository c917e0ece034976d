public import Herald
public import Vapor

extension Application {
    /// Herald in this application: `app.herald.mount(herald, at: "/notify")`.
    public var herald: HeraldIntegration { HeraldIntegration(application: self) }

    /// Mounts a ``Herald`` in a Vapor application; reached through ``Application/herald``.
    public struct HeraldIntegration: Sendable {
        let application: Application

        /// Serves Herald's API under `path` (``HeraldRoutes``) and runs `herald` from boot until shutdown
        /// (``HeraldLifecycleHandler``). Call it once per instance, before the application boots.
        public func mount(_ herald: Herald, at path: String = "/") throws {
            try application.register(collection: HeraldRoutes(herald, at: path))
            application.lifecycle.use(HeraldLifecycleHandler(herald))
        }
    }
}
