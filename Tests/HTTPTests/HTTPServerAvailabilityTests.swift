import Foundation
@testable import HeraldHTTP
import HeraldTestSupport
import Testing

/// A flood of idle sockets never locks a new client out: at the cap the connection idle longest is
/// closed for the newcomer, and only when every connection is busy is the newcomer answered `503`.
@Suite(.serialized) struct HTTPServerAvailabilityTests {
    private static let partialHead = "GET /healthz HTTP/1.1\r\nHost: h\r\nX-Wait: a"

    /// Waits until the server counts `count` connections.
    private func waitForConnections(_ count: Int, on server: HTTPServer) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while server.connectionCount != count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.connectionCount == count)
    }

    @Test(.timeLimit(.minutes(1)))
    func atTheCapTheOldestIdleConnectionIsClosedForANewClient() async throws {
        let fixture = try await APIFixture(
            server: HTTPServer.Configuration(firstByteTimeout: .seconds(60), maxConnections: 20))
        defer { Task { await fixture.server.shutdown() } }
        let keptAlive = try fixture.client()
        #expect(try await onThread { try keptAlive.request("GET", "/healthz") }.status == 200)
        var silent: [RawHTTPClient] = []
        for _ in 0..<19 {
            silent.append(try fixture.client())
            try await waitForConnections(silent.count + 1, on: fixture.server)
        }

        let newcomer = try fixture.client()
        let accepted = try await onThread {
            try newcomer.request("POST", "/v1/notifications", body: #"{"topic": "sales", "message": "m"}"#)
        }
        #expect(accepted.status == 202)
        #expect(try await onThread { keptAlive.isClosedByServer(timeout: .seconds(2)) })

        let second = try fixture.client()
        #expect(try await onThread { try second.request("GET", "/healthz") }.status == 200)
        let oldestSilent = silent[0]
        let nextSilent = silent[1]
        #expect(try await onThread { oldestSilent.isClosedByServer(timeout: .seconds(2)) })
        #expect(try await onThread { try nextSilent.request("GET", "/healthz") }.status == 200)
        try await waitForConnections(20, on: fixture.server)
    }

    @Test(.timeLimit(.minutes(1)))
    func whenEveryConnectionIsBusyANewClientIsAnswered503AndTheBusyOnesAreServed() async throws {
        let fixture = try await APIFixture(
            server: HTTPServer.Configuration(firstByteTimeout: .seconds(60), maxConnections: 20))
        defer { Task { await fixture.server.shutdown() } }
        let idle = try fixture.client()
        try await waitForConnections(1, on: fixture.server)
        var busy: [RawHTTPClient] = []
        for _ in 0..<19 {
            let client = try fixture.client()
            try await onThread { try client.write(Self.partialHead) }
            busy.append(client)
            try await waitForConnections(busy.count + 1, on: fixture.server)
        }

        let admitted = try fixture.client()
        #expect(try await onThread { idle.isClosedByServer(timeout: .seconds(2)) })
        try await onThread { try admitted.write(Self.partialHead) }
        busy.append(admitted)
        try await waitForConnections(20, on: fixture.server)
        let deadline = ContinuousClock.now + .seconds(10)
        while fixture.server.idleConnectionCount > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }

        let refused = try fixture.client()
        let answer = try await onThread { try refused.readResponse(timeout: .seconds(5)) }
        #expect(answer.status == 503)
        #expect(answer.errorCode == "server_busy")
        for client in busy {
            #expect(try await onThread { try client.write("\r\n\r\n"); return try client.readResponse() }.status == 200)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aSilentConnectionIsClosedAfterTheFirstByteTimeoutButAKeptAliveOneWaitsLonger() async throws {
        let fixture = try await APIFixture(
            server: HTTPServer.Configuration(idleTimeout: .seconds(30), firstByteTimeout: .milliseconds(300)))
        defer { Task { await fixture.server.shutdown() } }
        let keptAlive = try fixture.client()
        #expect(try await onThread { try keptAlive.request("GET", "/healthz") }.status == 200)
        let silent = try fixture.client()
        #expect(try await onThread { silent.isClosedByServer(timeout: .seconds(3)) })
        #expect(try await onThread { try keptAlive.request("GET", "/healthz") }.status == 200)
        try await waitForConnections(1, on: fixture.server)
    }
}
