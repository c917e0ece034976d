@testable import HeraldHTTP
import Testing

/// The incremental decoder: the same requests whatever the split, each byte examined once, limits kept.
@Suite struct HTTPRequestDecoderTests {
    /// Feeds `bytes` one at a time, collecting every output (a thrown error ends the feed).
    static func decodeByteByByte(
        _ bytes: [UInt8], maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 65536
    ) throws(HTTPParseError) -> (outputs: [String], decoder: HTTPRequestDecoder) {
        var decoder = HTTPRequestDecoder(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
        var outputs: [String] = []
        for byte in bytes {
            decoder.feed([byte])
            while let output = try decoder.next() { outputs.append(describe(output)) }
        }
        return (outputs, decoder)
    }

    static func describe(_ output: HTTPRequestDecoder.Output) -> String {
        switch output {
        case .head(let head, let framing): "head \(head.method) \(head.target) \(framing)"
        case .request(let head, let body):
            "request \(head.method) \(head.target) \(String(decoding: body, as: UTF8.self))"
        }
    }

    static let pipelined = Array(
        ("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
            + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
            + "\r\nPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2 \r\nde\r\n0\r\nT: v\r\n\r\n"
            + "GET /d HTTP/1.0\r\n\r\n").utf8)

    @Test func pipelinedRequestsDecodeTheSameFedWholeOrOneByteAtATime() throws {
        var whole = HTTPRequestDecoder(maxHeaderBytes: 16 * 1024, maxBodyBytes: 65536)
        whole.feed(Self.pipelined)
        var outputs: [String] = []
        while let output = try whole.next() { outputs.append(Self.describe(output)) }
        let expected = [
            "head POST /a length(5)", "request POST /a hello", "request GET /b ",
            "head POST /c chunked", "request POST /c abcde", "request GET /d ",
        ]
        #expect(outputs == expected)
        #expect(try Self.decodeByteByByte(Self.pipelined).outputs == expected)
        #expect(whole.phase == .awaitingRequest)
    }

    @Test func theDecoderReportsItsPhaseForTimeouts() throws {
        var decoder = HTTPRequestDecoder(maxHeaderBytes: 16 * 1024, maxBodyBytes: 65536)
        #expect(decoder.phase == .awaitingRequest)
        decoder.feed(Array("POST /a HTTP/1.1\r\nContent-Le".utf8))
        #expect(try decoder.next() == nil)
        #expect(decoder.phase == .readingHead)
        decoder.feed(Array("ngth: 2\r\n\r\n{".utf8))
        #expect(try decoder.next().map(Self.describe) == "head POST /a length(2)")
        #expect(try decoder.next() == nil)
        #expect(decoder.phase == .readingBody)
        decoder.feed(Array("}".utf8))
        #expect(try decoder.next().map(Self.describe) == "request POST /a {}")
        #expect(decoder.phase == .awaitingRequest)
    }

    @Test func aSixteenKibibyteHeadDribbledOneByteAtATimeIsExaminedOnce() throws {
        var text = "GET /healthz HTTP/1.1\r\n"
        let value = String(repeating: "abcdefghij", count: 16)
        while text.utf8.count < 16 * 1024 - 200 { text += "X-Padding-\(text.utf8.count): \(value)\r\n" }
        let head = Array((text + "\r\n").utf8)
        let (outputs, decoder) = try Self.decodeByteByByte(head)
        #expect(outputs == ["request GET /healthz "])
        #expect(decoder.bytesExamined <= 2 * head.count, "examined \(decoder.bytesExamined) of \(head.count) bytes")
    }

    @Test func aSixtyFourKibibyteChunkedBodyDribbledOneByteAtATimeIsExaminedOnce() throws {
        let data = (0..<(64 * 1024)).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        var request = Array("POST /n HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: data.count, by: 1024) {
            request += Array("400;chunk=\(start / 1024)\r\n".utf8) + data[start..<start + 1024] + [13, 10]
        }
        request += Array("0\r\nX-Checksum: 1\r\n\r\n".utf8)
        let (outputs, decoder) = try Self.decodeByteByByte(request, maxBodyBytes: 64 * 1024)
        #expect(outputs == ["head POST /n chunked", "request POST /n " + String(decoding: data, as: UTF8.self)])
        #expect(
            decoder.bytesExamined <= 2 * request.count, "examined \(decoder.bytesExamined) of \(request.count) bytes")
    }

    @Test(arguments: [
        ("G\r\n", 400), ("123456789\r\n", 400), ("7FFFFFFFFFFFFFFFF\r\n", 400), ("-1\r\nabc\r\n", 400),
        ("+5\r\nhello\r\n", 400), ("3\r\nabcX", 400), ("3\r\nabc\rX", 400), ("0\r\nT: v\rX", 400),
        ("1;" + String(repeating: "e", count: 2000) + "\r\n", 400), ("1;\u{1}\r\n", 400), ("10001\r\n", 413),
        ("0\r\n" + String(repeating: "X-Trailer: aaaaaaaa\r\n", count: 1000), 413),
        (String(repeating: "1\r\na\r\n", count: 20_000), 413),
    ])
    func chunkedFramingLimitsHoldOneByteAtATime(chunks: String, status: Int) {
        let request = Array(("POST /n HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks).utf8)
        #expect { try Self.decodeByteByByte(request, maxBodyBytes: 65536) } throws: {
            ($0 as? HTTPParseError)?.status == status
        }
    }

    @Test func headLimitsHoldOneByteAtATimeWithoutReadingFurther() {
        let longLine = Array(("GET /" + String(repeating: "a", count: 20_000) + " HTTP/1.1\r\n\r\n").utf8)
        #expect { try Self.decodeByteByByte(longLine) } throws: { ($0 as? HTTPParseError)?.status == 414 }
        let bigHead = Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 3000) + "\r\n").utf8)
        #expect { try Self.decodeByteByByte(bigHead) } throws: { ($0 as? HTTPParseError)?.status == 431 }
        var scanner = HTTPHeadScanner(maxHeaderBytes: 1024)
        #expect(throws: HTTPParseError(431, "the request headers are too large")) { _ = try scanner.scan(bigHead[...]) }
        #expect(scanner.bytesExamined == 1025)
    }

    @Test func aContentLengthOverTheLimitIsRefusedWithItsHeadKnown() {
        var decoder = HTTPRequestDecoder(maxHeaderBytes: 16 * 1024, maxBodyBytes: 10)
        decoder.feed(Array("POST /a HTTP/1.0\r\nContent-Length: 11\r\n\r\n".utf8))
        #expect(throws: HTTPParseError(413, "the request body is larger than 10 bytes")) { _ = try decoder.next() }
        #expect(decoder.currentHead?.minorVersion == 0)
    }
}
