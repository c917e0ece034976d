@testable import HeraldChannels
import Testing

/// The reply reader: the same replies however the bytes are split, and a clean error for what is not a reply.
@Suite struct SMTPReplyReaderTests {
    static let stream = Array(
        ("220 mail.test ESMTP\r\n250-mail.test\r\n250-8BITMIME\r\n250 SIZE 1000\r\n354 go ahead\n250\r\n"
            + "550-5.7.1 first\r\n550 5.7.1 second\r\n").utf8)

    static let expected = [
        "220 mail.test ESMTP", "250 mail.test 8BITMIME SIZE 1000", "354 go ahead", "250 ", "550 5.7.1 first 5.7.1 second",
    ]

    /// Feeds `chunks` in turn, collecting every reply, then the error that ended them, if any.
    static func read(_ chunks: [ArraySlice<UInt8>]) -> (replies: [String], error: String?) {
        var reader = SMTPReplyReader()
        var replies: [String] = []
        for chunk in chunks {
            reader.feed(chunk)
            do {
                while let reply = try reader.next() { replies.append(reply.description) }
            } catch {
                return (replies, "\(error)")
            }
        }
        return (replies, nil)
    }

    @Test func repliesAreTheSameFedWholeSplitAnywhereOrOneByteAtATime() {
        #expect(Self.read([Self.stream[...]]).replies == Self.expected)
        #expect(Self.read(Self.stream.indices.map { Self.stream[$0...$0] }).replies == Self.expected)
        for split in Self.stream.indices {
            let result = Self.read([Self.stream[..<split], Self.stream[split...]])
            #expect(result.replies == Self.expected && result.error == nil, "split at \(split)")
        }
    }

    @Test func aReplyKeepsTheTextOfEachLineAndTheCodeOfTheLast() throws {
        var reader = SMTPReplyReader()
        reader.feed(Array("250-test.local\r\n250-AUTH LOGIN\r\n250 8BITMIME\r\n".utf8))
        let reply = try #require(try reader.next())
        #expect(reply.code == 250)
        #expect(reply.lines == ["test.local", "AUTH LOGIN", "8BITMIME"])
        #expect(try reader.next() == nil)
    }

    @Test(arguments: ["hello\r\n", "25\r\n", "2x0 ok\r\n", "+12 ok\r\n", "\r\n", "250-ok\r\nbad\r\n"])
    func aLineThatIsNotAReplyIsAMalformedReplyError(text: String) {
        let result = Self.read([Array(text.utf8)[...]])
        #expect(result.replies.isEmpty)
        #expect(result.error?.hasPrefix("SMTP 0 after read: malformed reply:") == true, "\(result)")
    }

    @Test func aLineOverTheLimitIsRefusedWhetherOrNotItsEndHasArrived() {
        let longest = Array(repeating: UInt8(ascii: "x"), count: SMTPReplyReader.lineLimit - 1 - 4)
        let accepted = Array("250 ".utf8) + longest + [10]
        #expect(Self.read([accepted[...]]).replies.count == 1)
        let tooLong = Array("250 ".utf8) + longest + [UInt8(ascii: "x"), 10]
        #expect(Self.read([tooLong[...]]).error == "SMTP 0 after read: reply line too long")
        #expect(Self.read([tooLong.dropLast()]).error == "SMTP 0 after read: reply line too long")
        #expect(Self.read([tooLong.dropLast(2)]) == ([], nil))
    }

    @Test func aMultiLineReplyOverTheLimitIsRefused() {
        let line = Array("250-".utf8) + Array(repeating: UInt8(ascii: "y"), count: 1000) + Array("\r\n".utf8)
        let lines = Array(repeating: line, count: SMTPReplyReader.replyLimit / line.count + 1).flatMap { $0 }
        #expect(Self.read([lines[...]]).error == "SMTP 0 after read: reply too long")
    }
}
