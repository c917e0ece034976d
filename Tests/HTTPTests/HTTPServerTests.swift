import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Synchronization
import Testing

@Suite(.serialized) struct HTTPServerTests {
    private let accept = #"{"topic": "sales", "message": "m"}"#

    @Test(.timeLimit(.minutes(1)))
    func chunkedPipelinedAndExpectContinueRequestsAreServed() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let client = try fixture.client()
        let chunked = try await onThread {
            let parts = [#"{"topic": "sales""#, #", "message": "m"}"#]
            let chunks = parts.map { String($0.utf8.count, radix: 16) + "\r\n" + $0 + "\r\n" }.joined()
            try client.write("POST /v1/notifications HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunks + "0\r\n\r\n")
            return try client.readResponse()
        }
        #expect(chunked.status == 202)

        let pipelined = try await onThread {
            try client.write("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\nGET /nope HTTP/1.1\r\nHost: h\r\n\r\nGET /readyz HTTP/1.1\r\nHost: h\r\n\r\n")
            return try [client.readResponse(), client.readResponse(), client.readResponse()].map(\.status)
        }
        #expect(pipelined == [200, 404, 200])

        let continued = try await onThread {
            try client.write("POST /v1/notifications HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(accept.utf8.count)\r\n\r\n")
            try client.write(accept)
            return try client.readResponse()
        }
        #expect(continued.status == 202)
        #expect(try await fixture.herald.queue.depth().ready == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func serverRejectionsAreCountedInTheMetrics() async throws {
        let fixture = try await APIFixture()
        let api = fixture.herald.api
        let server = try HTTPServer(
            configuration: HTTPServer.Configuration(port: 0), handler: { await api.handle($0) },
            rejectionObserver: { api.recordServerRejection(status: $0, reason: $1) })
        defer { Task { await server.shutdown() } }
        let bad = try RawHTTPClient(port: server.port)
        #expect(try await onThread { try bad.write("NOT HTTP\r\n\r\n"); return try bad.readResponse() }.status == 400)
        let client = try RawHTTPClient(port: server.port)
        let metrics = try await onThread { try client.request("GET", "/metrics") }
        #expect(metrics.text.contains(#"herald_http_requests_total{route="unparsed",status="400"} 1"#))
    }

    @Test(.timeLimit(.minutes(1)))
    func malformedRequestsGetA4xxAndTheServerKeepsServing() async throws {
        let fixture = try await APIFixture(maxBodyBytes: 1024)
        defer { Task { await fixture.server.shutdown() } }
        let cases: [(String, Int)] = [
            ("GARBAGE\r\n\r\n", 400),
            ("GET / HTTP/3.0\r\n\r\n", 505),
            ("GET /healthz HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n", 431),
            ("POST /v1/notifications HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n", 413),
            ("POST /v1/notifications HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST /v1/notifications HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", 400),
            ("POST /v1/notifications HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nxyz\r\n", 400),
            ("POST /v1/notifications HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + String(repeating: "X-Trailer: aaaaaaaa\r\n", count: 2000), 413),
            ("POST /v1/notifications HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + String(repeating: "a", count: 2048) + "\r\n0\r\n\r\n", 413),
        ]
        for (raw, status) in cases {
            let client = try fixture.client()
            let response = try await onThread {
                try client.write(raw)
                return try client.readResponse()
            }
            #expect(response.status == status, "\(raw.prefix(40))")
            #expect(try await onThread { client.isClosedByServer() })
        }
        let truncated = try fixture.client()
        try await onThread { try truncated.write("POST /v1/notifications HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"to") }
        let fresh = try fixture.client()
        #expect(try await onThread { try fresh.request("POST", "/v1/notifications", body: accept) }.status == 202)
        #expect(try await fixture.herald.queue.depth().ready == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func aClientTricklingItsHeadDoesNotBlockOthersAndTimesOut() async throws {
        let fixture = try await APIFixture(server: HTTPServer.Configuration(headerTimeout: .milliseconds(1500)))
        defer { Task { await fixture.server.shutdown() } }
        let slow = try fixture.client()
        let trickle = Task {
            try await onThread { () -> (status: Int, at: ContinuousClock.Instant) in
                for byte in "GET /healthz HTTP/1.1\r\nX-Slow: a".utf8 {
                    try? slow.write([byte])
                    Thread.sleep(forTimeInterval: 0.1)
                }
                return ((try? slow.readResponse(timeout: .seconds(5)))?.status ?? -1, ContinuousClock.now)
            }
        }
        let others = try fixture.client()
        var answeredAt: [ContinuousClock.Instant] = []
        for _ in 0..<20 {
            #expect(try await onThread { try others.request("GET", "/healthz") }.status == 200)
            answeredAt.append(.now)
        }
        let timedOut = try await trickle.value
        #expect(timedOut.status == 408)
        // Not blocked: the others were answered while the trickling head was still open (it ends at 1.5 s).
        #expect(try #require(answeredAt.first) < timedOut.at)
    }

    @Test(.timeLimit(.minutes(3)))
    func twoHundredKeepAliveClientsTimesFiftyRequestsAreAllAnswered() async throws {
        let fixture = try await APIFixture()
        defer { Task { await fixture.server.shutdown() } }
        let port = fixture.server.port
        let body = accept
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await onThread {
                        let client = try RawHTTPClient(port: port)
                        var accepted = 0
                        for _ in 0..<50 where try client.request("POST", "/v1/notifications", body: body).status == 202 {
                            accepted += 1
                        }
                        return accepted
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(answered == 10_000)
        #expect(try await fixture.herald.queue.depth().ready == 10_000)
    }

    @Test(.timeLimit(.minutes(1)))
    func shutdownAnswersTheRequestInFlightThenCloses() async throws {
        let gate = Gate()
        let fixture = try await APIFixture()
        let api = fixture.herald.api
        let server = try HTTPServer(configuration: HTTPServer.Configuration(port: 0)) { request in
            if request.path == "/slow" { await gate.wait() }
            return await api.handle(request)
        }
        let client = try RawHTTPClient(port: server.port)
        let idle = try RawHTTPClient(port: server.port)
        #expect(try await onThread { try idle.request("GET", "/healthz") }.status == 200)
        let inFlight = Task { try await onThread { try client.request("GET", "/slow") } }
        while !gate.hasWaiter { try await Task.sleep(for: .milliseconds(10)) }
        let stopping = Task { await server.shutdown() }
        try await Task.sleep(for: .milliseconds(300))
        gate.open()
        #expect(try await inFlight.value.status == 404)
        #expect(try await inFlight.value.headers["connection"] == "close")
        await stopping.value
        #expect(try await onThread { idle.isClosedByServer() })
        #expect(server.connectionCount == 0)
        #expect((try? RawHTTPClient(port: server.port)) == nil)
    }
}

/// Holds requests until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    var hasWaiter: Bool { state.withLock { !$0.waiters.isEmpty } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
