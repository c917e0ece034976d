import Foundation
import HeraldRedis
import HeraldTestSupport
import Synchronization
import Testing

@Suite(.serialized) struct RedisClientTests {
    @Test(.timeLimit(.minutes(1)))
    func roundTripsCommandsAndScripts() async throws {
        let server = try RedisServer()
        let client = try server.client()
        defer { client.shutdown() }
        #expect(try await client.send(RESPCommand("PING")) == .simpleString("PONG"))
        #expect(try await client.send(RESPCommand("SET", "k", "v")) == .simpleString("OK"))
        #expect(try await client.send(RESPCommand("GET", "k")).string == "v")
        #expect(try await client.send(RESPCommand("GET", "missing")) == .bulkString(nil))
        #expect(try await client.send(RESPCommand(parts: [Array("SET".utf8), Array("bin".utf8), [0, 13, 10, 255]])) == .simpleString("OK"))
        #expect(try await client.send(RESPCommand("GET", "bin")) == .bulkString([0, 13, 10, 255]))
        let script = RedisScript(name: "echo", source: "return {KEYS[1], ARGV[1], 7}")
        #expect(try await client.evaluate(script, keys: ["a"], arguments: ["b"])
            == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8)), .integer(7)]))
    }

    @Test(.timeLimit(.minutes(1)))
    func serverErrorsCarryTheServersMessage() async throws {
        let server = try RedisServer()
        let client = try server.client()
        defer { client.shutdown() }
        await #expect {
            try await client.send(RESPCommand("NOSUCHCOMMAND"))
        } throws: { error in
            guard let error = error as? RedisError else { return false }
            return error.code == .server && error.message.contains("unknown command")
        }
        #expect(try await client.send(RESPCommand("PING")) == .simpleString("PONG"))
    }

    @Test(.timeLimit(.minutes(1)))
    func scriptsAreReloadedAfterScriptFlush() async throws {
        let server = try RedisServer()
        let client = try server.client()
        defer { client.shutdown() }
        let script = RedisScript(name: "one", source: "return 1")
        #expect(try await client.evaluate(script, keys: [], arguments: []) == .integer(1))
        try await client.send(RESPCommand("SCRIPT", "FLUSH"))
        #expect(try await client.evaluate(script, keys: [], arguments: []) == .integer(1))
    }

    @Test(.timeLimit(.minutes(1)))
    func passwordsAndDatabasesAreApplied() async throws {
        let server = try RedisServer(password: "s3cret")
        var configuration = try RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(server.port)/2")
        configuration.poolSize = 1
        let client = RedisClient(configuration: configuration)
        defer { client.shutdown() }
        try await client.send(RESPCommand("SET", "where", "db2"))
        #expect(try await client.send(RESPCommand("SELECT", "2")) == .simpleString("OK"))
        #expect(try await client.send(RESPCommand("GET", "where")).string == "db2")

        let wrong = RedisClient(configuration: try RedisConfiguration(url: "redis://:nope@127.0.0.1:\(server.port)/0"))
        defer { wrong.shutdown() }
        await #expect {
            try await wrong.send(RESPCommand("PING"))
        } throws: { error in
            "\(error)".contains("authentication failed") && !"\(error)".contains("nope")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func tenThousandConcurrentCommandsOnOneConnectionEachGetTheirOwnReply() async throws {
        let server = try RedisServer()
        let client = try server.client(poolSize: 1)
        defer { client.shutdown() }
        let mismatches = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<10_000 {
                group.addTask { try await client.send(RESPCommand("ECHO", "reply-\(index)")).string == "reply-\(index)" }
            }
            return try await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
        #expect(mismatches == 0)
        #expect(client.openedConnectionCount == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func killingTheConnectionMidPipelineFailsEveryCallerAndTheClientRecovers() async throws {
        let server = try RedisServer()
        let client = try server.client(poolSize: 1)
        defer { client.shutdown() }
        _ = try await client.send(RESPCommand("CLIENT", "SETNAME", "victim"))
        let admin = try server.client(poolSize: 1)
        defer { admin.shutdown() }

        let start = ContinuousClock.now
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<2000 {
                group.addTask {
                    do {
                        let reply = try await client.send(RESPCommand("ECHO", "value-\(index)"))
                        return reply.string == "value-\(index)" ? "ok" : "wrong reply"
                    } catch {
                        return "error"
                    }
                }
            }
            group.addTask {
                _ = try? await admin.send(RESPCommand("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"))
                return "killer"
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(outcomes["wrong reply"] == nil)
        #expect((outcomes["ok"] ?? 0) + (outcomes["error"] ?? 0) == 2000)
        #expect(ContinuousClock.now - start < .seconds(10))

        var recovered = false
        for _ in 0..<100 where !recovered {
            recovered = (try? await client.send(RESPCommand("PING"))) == .simpleString("PONG")
            if !recovered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered)
    }

    @Test(.timeLimit(.minutes(1)))
    func aLateReplyTimesOutAndTheConnectionIsDiscarded() async throws {
        let server = try RedisServer()
        let client = try server.client(poolSize: 1, commandTimeout: .milliseconds(300))
        defer { client.shutdown() }
        _ = try await client.send(RESPCommand("PING"))
        let start = ContinuousClock.now
        await #expect {
            try await client.send(RESPCommand("DEBUG", "SLEEP", "1"))
        } throws: { error in
            (error as? RedisError)?.code == .timedOut
        }
        #expect(ContinuousClock.now - start < .seconds(3))
        try await Task.sleep(for: .milliseconds(900))
        #expect(try await client.send(RESPCommand("PING")) == .simpleString("PONG"))
        #expect(client.openedConnectionCount == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func aBlockingCommandDoesNotHoldUpOtherCommands() async throws {
        let server = try RedisServer()
        let client = try server.client(poolSize: 1)
        defer { client.shutdown() }
        let finished = Mutex(false)
        let blocked = Task {
            defer { finished.withLock { $0 = true } }
            return try await client.sendBlocking(RESPCommand("BLPOP", "list", "20"), serverWait: .seconds(20))
        }
        try await Task.sleep(for: .milliseconds(100))
        for _ in 0..<100 { _ = try await client.send(RESPCommand("PING")) }
        // All hundred answered while the blocking command still waits (for up to 20 s): it holds up nothing.
        #expect(finished.withLock { $0 } == false)
        _ = try await client.send(RESPCommand("LPUSH", "list", "x"))
        #expect(try await blocked.value.array?.last?.string == "x")
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableServerFailsFastAndIsRetriedLater() async throws {
        let server = try RedisServer()
        let client = try server.client(poolSize: 1)
        defer { client.shutdown() }
        server.stop()
        await #expect(throws: RedisError.self) { try await client.send(RESPCommand("PING")) }
        try server.start()
        var answered = false
        for _ in 0..<200 where !answered {
            answered = (try? await client.send(RESPCommand("PING"))) == .simpleString("PONG")
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answered)
    }
}
