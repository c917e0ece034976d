@testable import HeraldRedis
import Testing

/// Redis Cluster's key slots (CRC16/XMODEM of the hash tag, modulo 16384), checked against values Redis gives
/// (`CLUSTER KEYSLOT`), and the cluster URL.
@Suite struct ClusterSlotTests {
    @Test func theChecksumIsXModems() {
        #expect(ClusterSlot.crc16(Array("123456789".utf8)) == 0x31C3, "the CRC16/XMODEM check value")
    }

    @Test(arguments: [("foo", 12182), ("{herald}:ready", 2546), ("herald", 2546), ("{user1000}.following", 3443),
                      ("foo{}{bar}", 8363), ("{}", 15257)])
    func keysHashToRedissSlots(key: String, slot: Int) {
        #expect(ClusterSlot.of(key) == slot)
    }

    @Test func redirectionsNameTheirNodeAndAnEmptyHostIsTheCurrentOne() {
        #expect(RedisClient.redirection("MOVED 3999 10.0.0.2:6381", "MOVED", host: "h") == .init(host: "10.0.0.2", port: 6381))
        #expect(RedisClient.redirection("MOVED 3999 :6380", "MOVED", host: "10.0.0.1") == .init(host: "10.0.0.1", port: 6380))
        #expect(RedisClient.redirection("ASK 3999 ::1:6380", "ASK", host: "h") == .init(host: "::1", port: 6380))
        #expect(RedisClient.redirection("MOVED 3999 10.0.0.2:6381", "ASK", host: "h") == nil)
        #expect(RedisClient.redirection("MOVED 3999", "MOVED", host: "h") == nil)
    }

    @Test func parsesClusterURLs() throws {
        let cluster = try RedisConfiguration(url: "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2/")
        #expect(cluster.clusterSeeds == [.init(host: "10.0.0.1", port: 7000), .init(host: "10.0.0.2", port: 6379)])
        #expect(cluster.password == "pw" && cluster.description == "redis+cluster://:***@10.0.0.1:7000,10.0.0.2:6379/")
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+cluster://h:1/3") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+cluster://h:0/") }
    }
}
