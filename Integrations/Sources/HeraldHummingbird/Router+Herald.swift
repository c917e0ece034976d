public import Herald
import HeraldHosting
public import Hummingbird

extension Router {
    /// Serves Herald's HTTP API under `path` (`"/"` for the root, `"/notify"` for `/notify/v1/...`).
    ///
    /// Every method Herald knows (GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS) on the prefix and every path
    /// below it goes to ``HeraldAPI/handle(_:)`` of `herald.api.mounted(at: path)`, so Herald answers its own
    /// `404` (naming the full path) and `405`. Bodies are read up to `herald.api.maxBodyBytes`; a larger one is
    /// `413 body_too_large` with the contract's error body. The caller's `X-Request-Id` is echoed.
    ///
    /// ```swift
    /// let router = Router()
    /// router.addHeraldRoutes(herald, at: "/notify")
    /// ```
    public func addHeraldRoutes(_ herald: Herald, at path: String = "/") {
        let api = herald.api.mounted(at: path)
        let prefix = HeraldAPI.pathComponents(of: path)
        let routes: [RouterPath] =
            prefix.isEmpty
            ? ["/", "**"] : [RouterPath(prefix.joined(separator: "/")), RouterPath((prefix + ["**"]).joined(separator: "/"))]
        for method in HeraldAPI.routedMethods.map({ HTTPRequest.Method(rawValue: $0)! }) {
            for route in routes {
                on(route, method: method) { request, context in await api.respond(to: request, logger: context.logger) }
            }
        }
    }
}
