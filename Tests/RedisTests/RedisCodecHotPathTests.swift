import Foundation
import HeraldApplication
import HeraldDomain
@testable import HeraldRedis
import Testing

/// The hand-written coding of units, delivery records and record metas reads what the generic `Codable` coder
/// wrote (records stored by earlier versions) and writes what it reads, and refuses damaged text with a clear
/// error.
@Suite struct RedisCodecHotPathTests {
    let codec = RedisCodec()
    /// The generic `Codable` coder's text, as earlier versions stored it.
    func generic<Value: Encodable>(_ value: Value) throws -> String { try codec.encode(value) }

    static let since = Date(timeIntervalSince1970: 1_733_130_000.123)

    static let units = [
        DeliveryUnit(id: DeliveryID(notificationID: "n1", channel: "slack"), readySince: since),
        DeliveryUnit(
            id: DeliveryID(notificationID: "n\"2\\", channel: "sms", recipient: "+15550001111"), attempts: 3,
            rateLimitStreak: 2, rateLimitedSince: since.addingTimeInterval(-5), recoveries: 1, isSuspect: true,
            readySince: since, holdsRateLimitSlot: true),
    ]

    static let deliveries = [
        DeliveryRecord(channel: "slack", status: .queued, updatedAt: since),
        DeliveryRecord(
            channel: "sms", recipient: "+15550001111", status: .failed, attempts: 4,
            lastError: "HTTP 500: \"boom\"\n/path", updatedAt: since),
    ]

    static let metas = [
        RedisCodec.RecordMeta(
            id: "n1", topic: nil, userID: nil, content: RenderedContent(subject: nil, body: "hi"), createdAt: since),
        RedisCodec.RecordMeta(
            id: "n2", topic: "sales", userID: "42", content: RenderedContent(subject: "Re: é", body: "a\tb 😀"),
            createdAt: since),
    ]

    @Test func unitsReadBackAsWrittenByEitherCoderAndTheTextIsTheGenericCodersText() throws {
        for unit in Self.units {
            #expect(try codec.decodeUnit(codec.encode(unit)) == unit)
            #expect(try codec.decodeUnit(generic(unit)) == unit)
            #expect(try codec.decode(DeliveryUnit.self, from: codec.encode(unit)) == unit)
            #expect(codec.encode(unit) == (try generic(unit)))
        }
    }

    @Test func deliveryRecordsReadBackAsWrittenByEitherCoderAndTheTextIsTheGenericCodersText() throws {
        for delivery in Self.deliveries {
            #expect(try codec.decodeDelivery(codec.encode(delivery)) == delivery)
            #expect(try codec.decode(DeliveryRecord.self, from: codec.encode(delivery)) == delivery)
            #expect(codec.encode(delivery) == (try generic(delivery)))
        }
    }

    @Test func recordMetasAndDeliveryOrdersReadBackAsWrittenByEitherCoder() throws {
        for meta in Self.metas {
            let decoded = try codec.decodeMeta(codec.encode(meta))
            let fromGeneric = try codec.decodeMeta(generic(meta))
            for read in [decoded, fromGeneric] {
                #expect(read.id == meta.id && read.topic == meta.topic && read.userID == meta.userID)
                #expect(read.content == meta.content && read.createdAt == meta.createdAt)
            }
        }
        let keys = ["slack", "sms|+15550001111", "odd\"key"]
        #expect(try codec.decodeDeliveryKeys(codec.encode(deliveryKeys: keys)) == keys)
        #expect(try codec.decodeDeliveryKeys(generic(keys)) == keys)
    }

    @Test func aUnitReEncodedByLuaCjsonWithOtherKeyOrderAndEscapedSlashesReadsBack() throws {
        let text = #"{"suspect":true,"readySince":1733130000123,"id":{"channel":"web\/hook","notificationID":"n1"},"recoveries":2}"#
        let unit = try codec.decodeUnit(text)
        #expect(unit.id == DeliveryID(notificationID: "n1", channel: "web/hook"))
        #expect(unit.isSuspect && unit.recoveries == 2 && unit.attempts == 0 && !unit.holdsRateLimitSlot)
        #expect(unit.readySince == Date(timeIntervalSince1970: 1_733_130_000.123))
    }

    @Test func damagedOrMistypedTextIsAnUnexpectedReplyNamingWhatIsWrong() {
        let cases: [(String, String)] = [
            (#"{"id":{"channel":"slack","notificationID":"n1"}"#, "not valid JSON"),
            (#"[1]"#, "not a JSON object"),
            (#"{"id":{"channel":"slack","notificationID":"n1"}}"#, "readySince"),
            (#"{"id":{"channel":"slack","notificationID":"n1"},"readySince":1,"attempts":"3"}"#, "attempts"),
            (#"{"id":{"channel":"slack","notificationID":"n1"},"readySince":1,"attempts":1.5}"#, "attempts"),
            (#"{"id":"n1","readySince":1}"#, "id"),
        ]
        for (text, naming) in cases {
            #expect {
                try codec.decodeUnit(text)
            } throws: { error in
                guard let error = error as? RedisError else { return false }
                return error.code == .unexpectedReply && "\(error)".contains(naming)
            }
        }
        #expect(throws: RedisError.self) {
            try codec.decodeDelivery(#"{"channel":"slack","status":"lost","updatedAt":1}"#)
        }
    }
}
