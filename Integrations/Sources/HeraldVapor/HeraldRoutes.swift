public import Herald
import HeraldHosting
public import Vapor

/// Herald's HTTP API as a Vapor `RouteCollection`, mounted under a path prefix.
///
/// Every method Herald knows (GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS) on the prefix and every path below
/// it goes to ``HeraldAPI/handle(_:)``, so Herald answers its own `404` (naming the full path) and `405`. The
/// routes stream their bodies (Vapor's own body limit does not apply); Herald reads at most
/// `herald.api.maxBodyBytes` and answers a larger body with the contract's `413 body_too_large`.
///
/// ```swift
/// try app.register(collection: HeraldRoutes(herald, at: "/notify"))
/// ```
/// Register it on the application's routes, not inside a `grouped(...)` builder: the prefix must be the
/// whole path before Herald's routes.
public struct HeraldRoutes: RouteCollection {
    private let api: HeraldAPI
    private let prefix: [PathComponent]

    /// - Parameter path: where the API lives (`"/"` for the root, `"/notify"` for `/notify/v1/...`).
    public init(_ herald: Herald, at path: String = "/") {
        api = herald.api.mounted(at: path)
        prefix = HeraldAPI.pathComponents(of: path).map { PathComponent.constant($0) }
    }

    public func boot(routes: any RoutesBuilder) throws {
        let api = api
        for method in HeraldAPI.routedMethods.map(HTTPMethod.init(rawValue:)) {
            for path in [prefix, prefix + [.catchall]] {
                routes.on(method, path, body: .stream) { request in await api.respond(to: request) }
            }
        }
    }
}
