import HeraldHostChecks
import HeraldVapor
import NIOCore
import Vapor
import VaporTesting

/// VaporTesting's in-memory client as a ``HostClient``.
struct VaporHostClient: HostClient {
    let tester: any TestingApplicationTester

    func send(_ method: String, _ path: String, headers: [(name: String, value: String)], body: [UInt8]) async throws
        -> HostResponse
    {
        let response = try await tester.sendRequest(
            HTTPMethod(rawValue: method), path, headers: HTTPHeaders(headers.map { ($0.name, $0.value) }),
            body: body.isEmpty ? nil : ByteBuffer(bytes: body))
        return HostResponse(
            status: Int(response.status.code), headers: response.headers.map { (name: $0.name, value: $0.value) },
            body: Array(response.body.readableBytesView))
    }
}

/// Runs `check` against a Vapor application that mounted a fresh Herald under `prefix`.
func withVaporHost(at prefix: String, _ check: (HostRouteChecks) async throws -> Void) async throws {
    try await withApp { app in
        app.get("host") { _ in "the host's own route" }
        try app.herald.mount(try HostRouteChecks.makeHerald(), at: prefix)
        try await check(HostRouteChecks(VaporHostClient(tester: try app.testing()), prefix: prefix))
    }
}
