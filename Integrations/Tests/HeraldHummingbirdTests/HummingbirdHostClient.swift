import HTTPTypes
import HeraldHostChecks
import HeraldHummingbird
import Hummingbird
import HummingbirdTesting

/// HummingbirdTesting's client as a ``HostClient``.
struct HummingbirdHostClient: HostClient {
    let client: any TestClientProtocol

    func send(_ method: String, _ path: String, headers: [(name: String, value: String)], body: [UInt8]) async throws
        -> HostResponse
    {
        var fields = HTTPFields()
        for header in headers { fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value)) }
        let response = try await client.execute(
            uri: path, method: HTTPRequest.Method(rawValue: method)!, headers: fields,
            body: body.isEmpty ? nil : ByteBuffer(bytes: body))
        return HostResponse(
            status: response.status.code, headers: response.headers.map { (name: $0.name.rawName, value: $0.value) },
            body: Array(response.body.readableBytesView))
    }
}

/// Runs `check` against a Hummingbird application serving a fresh Herald under `prefix`.
func withHummingbirdHost(
    at prefix: String, _ setup: TestingSetup = .router, _ check: @Sendable (HostRouteChecks) async throws -> Void
) async throws {
    let router = Router()
    router.get("/host") { _, _ in "the host's own route" }
    router.addHeraldRoutes(try HostRouteChecks.makeHerald(), at: prefix)
    let app = Application(router: router)
    try await app.test(setup) { client in
        try await check(HostRouteChecks(HummingbirdHostClient(client: client), prefix: prefix))
    }
}
