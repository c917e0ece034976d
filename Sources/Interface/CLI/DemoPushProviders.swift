import Foundation
import Herald
import HeraldHTTP
import Synchronization

/// Local stand-ins for APNs, FCM and Google's token endpoint for `herald demo`: one embedded HTTP server on a
/// free loopback port that answers as the providers do and remembers what it was sent. One device token is
/// answered `410 Unregistered`, to show Herald removing it from its user.
final class DemoPushProviders: Sendable {
    struct Request: Sendable {
        let path: String
        let headers: [(name: String, value: String)]
        let body: [UInt8]

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
    }

    /// What the stand-ins were sent, shared with the server's handler.
    private final class Log: Sendable {
        let requests = Mutex<[Request]>([])
    }

    private let server: HTTPServer
    private let received = Log()
    /// The token answered `410 Unregistered`.
    let unregisteredToken: String

    init(unregisteredToken: String) throws {
        self.unregisteredToken = unregisteredToken
        let received = self.received
        server = try HTTPServer(configuration: HTTPServer.Configuration(host: "127.0.0.1", port: 0)) { request in
            received.requests.withLock { $0.append(Request(path: request.path, headers: request.headers, body: request.body)) }
            return Self.answer(request, unregisteredToken: unregisteredToken)
        }
    }

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    var requests: [Request] { received.requests.withLock { $0 } }

    func shutdown() async { await server.shutdown() }

    private static func answer(_ request: HeraldAPI.Request, unregisteredToken: String) -> HeraldAPI.Response {
        if request.path == "/token" {
            return .json(200, Data(#"{"access_token":"demo-access-token","expires_in":3600,"token_type":"Bearer"}"#.utf8))
        }
        if request.path.hasSuffix("/\(unregisteredToken)") {
            return .json(410, Data(#"{"reason":"Unregistered","timestamp":1764633600000}"#.utf8))
        }
        if request.path.hasPrefix("/3/device/") {
            return HeraldAPI.Response(status: 200, headers: [("apns-id", request.header("apns-id") ?? "")])
        }
        return .json(200, Data(#"{"name":"projects/herald-demo/messages/0:demo"}"#.utf8))
    }
}
