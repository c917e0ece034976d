import HeraldRedis
import Testing

@Suite struct RESPDecoderTests {
    static let samples: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(.max)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$-1\r\n", .bulkString(nil)),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        ("*3\r\n:1\r\n$1\r\nx\r\n*2\r\n+a\r\n$-1\r\n", .array([.integer(1), .bulkString([120]), .array([.simpleString("a"), .bulkString(nil)])])),
        ("*2\r\n*1\r\n*0\r\n-E\r\n", .array([.array([.array([])]), .error("E")])),
    ]

    @Test func decodesEveryReplyTypeSplitAtEveryByte() throws {
        for (text, expected) in Self.samples {
            let bytes = Array(text.utf8)
            for split in 0...bytes.count {
                var decoder = RESPDecoder()
                decoder.feed(bytes[..<split])
                var values: [RESPValue] = []
                if let value = try decoder.next() { values.append(value) }
                decoder.feed(bytes[split...])
                while let value = try decoder.next() { values.append(value) }
                #expect(values == [expected], "\(text.debugDescription) split at \(split)")
                #expect(decoder.bufferedByteCount == 0)
            }
        }
    }

    @Test func decodesAStreamFedOneByteAtATime() throws {
        let stream = Self.samples.map(\.0).joined()
        var decoder = RESPDecoder()
        var values: [RESPValue] = []
        for byte in stream.utf8 {
            decoder.feed([byte])
            while let value = try decoder.next() { values.append(value) }
        }
        #expect(values == Self.samples.map(\.1))
    }

    @Test(arguments: ["?x\r\n", ":12a\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "*-5\r\n", "+OK\n", "+O\rK\r\n", ":\r\n",
                      "$99999999999999999999\r\n"])
    func garbageIsAnErrorNotACrash(text: String) {
        var decoder = RESPDecoder()
        decoder.feed(Array(text.utf8))
        #expect(throws: RESPDecodingError.self) { while try decoder.next() != nil {} }
    }

    @Test func randomGarbageNeverCrashesOrHangs() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("+-:$*\r\n0123456789-abcOK".utf8)
        for _ in 0..<5000 {
            var decoder = RESPDecoder()
            let length = Int.random(in: 1...64, using: &generator)
            decoder.feed((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            var replies = 0
            while replies < 100, (try? decoder.next()) != nil { replies += 1 }
            #expect(replies < 100)
        }
    }

    @Test func randomRepliesDecodeToThemselvesWhateverTheReadSizes() throws {
        for seed in UInt64(1)...300 {
            var generator = SeededGenerator(state: seed)
            let replies = (0..<Int.random(in: 1...20, using: &generator)).map { _ in RESPValue.random(depth: 3, using: &generator) }
            var decoder = RESPDecoder()
            var decoded: [RESPValue] = []
            for chunk in randomChunks(of: replies.flatMap(\.wireBytes), maxChunk: 17, using: &generator) {
                decoder.feed(chunk)
                while let value = try decoder.next() { decoded.append(value) }
            }
            #expect(decoded == replies, "seed \(seed)")
            #expect(decoder.bufferedByteCount == 0, "seed \(seed)")
        }
    }

    @Test func arbitraryBytesAreAnErrorOrAWaitNeverACrash() {
        for seed in UInt64(1)...5000 {
            var generator = SeededGenerator(state: seed)
            var decoder = RESPDecoder()
            decoder.feed((0..<Int.random(in: 1...256, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var replies = 0
            while replies < 300, (try? decoder.next()) != nil { replies += 1 }
            #expect(replies < 300, "seed \(seed)")
        }
    }

    @Test func corruptedRepliesAreAnErrorOrAWaitNeverACrash() {
        for seed in UInt64(1)...3000 {
            var generator = SeededGenerator(state: seed)
            var bytes = (0..<4).flatMap { _ in RESPValue.random(depth: 3, using: &generator).wireBytes }
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            var decoder = RESPDecoder()
            decoder.feed(bytes)
            var replies = 0
            while replies < 300, (try? decoder.next()) != nil { replies += 1 }
            #expect(replies < 300, "seed \(seed)")
        }
    }

    @Test func deeplyNestedArraysAreRejected() {
        var decoder = RESPDecoder()
        decoder.feed(Array(String(repeating: "*1\r\n", count: 100).utf8))
        #expect(throws: RESPDecodingError.self) { _ = try decoder.next() }
    }
}

@Suite struct RESPCommandTests {
    @Test func encodesArraysOfBinarySafeBulkStrings() {
        #expect(RESPCommand("SET", "key", "a\r\nb").encoded == Array("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$4\r\na\r\nb\r\n".utf8))
        #expect(RESPCommand("GET", "").encoded == Array("*2\r\n$3\r\nGET\r\n$0\r\n\r\n".utf8))
        #expect(RESPCommand(parts: [Array("SET".utf8), [0, 255, 13]]).encoded
            == Array("*2\r\n$3\r\nSET\r\n$3\r\n".utf8) + [0, 255, 13] + [13, 10])
        #expect(RESPCommand("ECHO", String(repeating: "x", count: 12)).encoded.prefix(16) == Array("*2\r\n$4\r\nECHO\r\n$1".utf8).prefix(16))
    }
}

@Suite struct RedisConfigurationTests {
    @Test func parsesURLs() throws {
        let full = try RedisConfiguration(url: "redis://herald:s%40cret@cache.internal:6380/3")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "herald")
        #expect(full.password == "s@cret")
        #expect(full.database == 3)
        let passwordOnly = try RedisConfiguration(url: "redis://:pw@127.0.0.1")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "pw")
        #expect(passwordOnly.port == 6379)
        #expect(passwordOnly.database == 0)
    }

    @Test func descriptionHidesThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://user:topsecret@h:1/0")
        #expect(!"\(configuration)".contains("topsecret"))
        #expect("\(configuration)" == "redis://user:***@h:1/0")
    }

    @Test(arguments: ["http://h:1", "redis://", "redis://h:0", "redis://h/x", "redis://h/-1", "not a url", "redis://user@h"])
    func rejectsBadURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test func parsesSentinelURLsWithoutShowingThePassword() throws {
        let sentinel = try RedisConfiguration(url: "redis+sentinel://:s%40cret@10.0.0.1:26379,10.0.0.2,10.0.0.3:26380/mymaster/2")
        #expect(sentinel.sentinels == [
            .init(host: "10.0.0.1", port: 26379), .init(host: "10.0.0.2", port: 26379), .init(host: "10.0.0.3", port: 26380),
        ])
        #expect(sentinel.masterName == "mymaster" && sentinel.database == 2 && sentinel.password == "s@cret")
        #expect(sentinel.description == "redis+sentinel://:***@10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26380/mymaster/2")
        #expect(try RedisConfiguration(url: "redis+sentinel://h:1/m").database == 0)
    }

    @Test(arguments: [
        "redis+sentinel://h:1", "redis+sentinel://h:1/", "redis+sentinel://:1/m", "redis+sentinel://h:0/m",
        "redis+sentinel://h:1/m/x", "redis+sentinel://h:1,/m", "redis+sentinel://user@h:1/m", "redis+sentinel://h:1/m/0/1",
    ])
    func rejectsBadSentinelURLs(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }
}
