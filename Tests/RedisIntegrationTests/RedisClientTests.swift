import Foundation
import HeraldRedis
import HeraldTestSupport
import Testing

@Suite(.serialized) struct RedisClientTests {
    @Test(.timeLimit(.minutes(1)))
    func roundTripsCommandsAndScripts() async throws {
        let server = try RedisServer()
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url))
        defer { client.shutdown() }
        #expect(try await client.send(RESPCommand("PING")) == .simpleString("PONG"))
        #expect(try await client.send(RESPCommand("SET", "k", "v")) == .simpleString("OK"))
        #expect(try await client.send(RESPCommand("GET", "k")).string == "v")
        #expect(try await client.send(RESPCommand("GET", "missing")) == .bulkString(nil))
        let script = RedisScript(name: "echo", source: "return {KEYS[1], ARGV[1], 7}")
        #expect(try await client.evaluate(script, keys: ["a"], arguments: ["b"])
            == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8)), .integer(7)]))
    }
}
