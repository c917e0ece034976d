@testable import HeraldHTTP
import Foundation
import HeraldDomain
import Testing

@Suite struct HTTPRequestParserTests {
    static let request = Array("POST /v1/notifications?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".utf8)

    @Test func parsesAHeadSplitAtEveryByte() throws {
        for split in 0..<Self.request.count {
            let partial = try HTTPRequestParser.parseHead(Self.request[..<split], maxHeaderBytes: 16384)
            let headEnd = Self.request.count - 2
            if split < headEnd { #expect(partial == nil, "split \(split)") }
        }
        let (head, used) = try #require(try HTTPRequestParser.parseHead(Self.request[...], maxHeaderBytes: 16384))
        #expect(head.method == "POST")
        #expect(head.target == "/v1/notifications?x=1")
        #expect(head.minorVersion == 1)
        #expect(head.header("content-type") == "application/json")
        #expect(used == Self.request.count - 2)
        #expect(try HTTPRequestParser.framing(of: head) == .length(2))
        #expect(head.keepsAlive)
    }

    @Test(arguments: [
        ("GET\r\n\r\n", 400), ("GET / HTTP/2.0\r\n\r\n", 505), ("GET / FTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400), ("GET / HTTP/1.1\r\n: empty\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\n\r\n", 400), ("GET /a b HTTP/1.1\r\n\r\n", 400),
    ])
    func rejectsMalformedHeads(text: String, status: Int) {
        #expect { try HTTPRequestParser.parseHead(Array(text.utf8)[...], maxHeaderBytes: 16384) } throws: {
            ($0 as? HTTPParseError)?.status == status
        }
    }

    @Test func rejectsOversizedHeads() {
        let longLine = Array(("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n").utf8)
        #expect { try HTTPRequestParser.parseHead(longLine[...], maxHeaderBytes: 16384) } throws: {
            ($0 as? HTTPParseError)?.status == 414
        }
        let manyHeaders = Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 3000)).utf8)
        #expect { try HTTPRequestParser.parseHead(manyHeaders[...], maxHeaderBytes: 16384) } throws: {
            ($0 as? HTTPParseError)?.status == 431
        }
    }

    @Test(arguments: [
        ("Content-Length: 5\r\nTransfer-Encoding: chunked", 400), ("Content-Length: 5\r\nContent-Length: 6", 400),
        ("Content-Length: -1", 400), ("Content-Length: 1e3", 400), ("Transfer-Encoding: gzip", 501),
    ])
    func rejectsAmbiguousFraming(headers: String, status: Int) throws {
        let bytes = Array("POST / HTTP/1.1\r\n\(headers)\r\n\r\n".utf8)
        let (head, _) = try #require(try HTTPRequestParser.parseHead(bytes[...], maxHeaderBytes: 16384))
        #expect { try HTTPRequestParser.framing(of: head) } throws: { ($0 as? HTTPParseError)?.status == status }
    }

    @Test func decodesChunkedBodiesSplitAtEveryByte() throws {
        let chunked = Array("4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT".utf8)
        for split in 0..<(chunked.count - 4) {
            #expect(try HTTPRequestParser.decodeChunked(chunked[..<split], maxBodyBytes: 1000) == nil)
        }
        let (body, used) = try #require(try HTTPRequestParser.decodeChunked(chunked[...], maxBodyBytes: 1000))
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia in \r\n\r\nchunks.")
        #expect(used == chunked.count - 4)
        #expect { try HTTPRequestParser.decodeChunked(chunked[...], maxBodyBytes: 10) } throws: {
            ($0 as? HTTPParseError)?.status == 413
        }
        for malformed in ["zz\r\n", "-1\r\nabc\r\n", "+5\r\nhello\r\n", " \r\n"] {
            #expect { try HTTPRequestParser.decodeChunked(Array(malformed.utf8)[...], maxBodyBytes: 10) } throws: {
                ($0 as? HTTPParseError)?.status == 400
            }
        }
    }

    @Test func connectionHeaderDecidesKeepAlive() throws {
        func head(_ text: String) throws -> HTTPRequestParser.Head {
            try #require(try HTTPRequestParser.parseHead(Array(text.utf8)[...], maxHeaderBytes: 16384)).0
        }
        #expect(try head("GET / HTTP/1.1\r\n\r\n").keepsAlive)
        #expect(try !head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepsAlive)
        #expect(try !head("GET / HTTP/1.0\r\n\r\n").keepsAlive)
        #expect(try head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepsAlive)
    }
}

/// Seeded random mutation of valid input (libFuzzer cannot be linked into this package without a
/// toolchain flag): the parser and the JSON request decoder must answer or throw, never crash or hang.
@Suite struct HostileInputFuzzTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
            let index = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !bytes.isEmpty: bytes[index] = UInt8.random(in: 0...255, using: &generator)
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: index)
            case 2 where !bytes.isEmpty: bytes.remove(at: index)
            default: bytes.insert(contentsOf: [13, 10], at: index)
            }
        }
        return bytes
    }

    @Test(.timeLimit(.minutes(2)))
    func theRequestParserSurvivesMutatedRequests() {
        let seeds = [
            HTTPRequestParserTests.request,
            Array("POST /notify HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8),
            Array("GET /v1/notifications/ntf_x HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n".utf8),
        ]
        var generator = SeededGenerator(state: 20_261_122)
        var answered = 0
        for iteration in 0..<30_000 {
            let input = Self.mutate(seeds[iteration % seeds.count], using: &generator)
            guard let (head, used) = try? HTTPRequestParser.parseHead(input[...], maxHeaderBytes: 4096) else { continue }
            answered += 1
            if case .chunked? = try? HTTPRequestParser.framing(of: head) {
                _ = try? HTTPRequestParser.decodeChunked(input[used...], maxBodyBytes: 1024)
            }
        }
        #expect(answered > 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func theJSONRequestDecoderSurvivesMutatedBodies() {
        let seeds = [
            #"{"topic": "sales", "message": "hi", "channels": ["slack"], "data": {"a": [1, {"b": null}]}}"#,
            #"{"user_id": 123, "template": "welcome", "data": {"name": "Zoë 📈"}}"#,
        ].map { Array($0.utf8) }
        var generator = SeededGenerator(state: 7)
        var decoded = 0
        for iteration in 0..<20_000 {
            let input = Self.mutate(seeds[iteration % seeds.count], using: &generator)
            if (try? NotificationRequest(json: Data(input))) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}
