import Foundation
import HeraldApplication
import HeraldDomain

/// JSON as stored in Redis: dates as integer milliseconds since 1970 (so Lua scripts can compare and
/// rewrite them), keys sorted.
struct RedisCodec: Sendable {
    /// A record's fields other than its deliveries.
    struct RecordMeta: Codable {
        var id: NotificationID
        var topic: Topic?
        var userID: UserID?
        var content: RenderedContent
        var createdAt: Date
        var scheduledFor: Date?
    }

    func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.milliseconds(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Date(timeIntervalSince1970: try decoder.singleValueContainer().decode(Double.self) / 1000)
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// Assembles a record from its hash (`HGETALL` as alternating field names and values); nil when empty.
    func record(fromHash reply: RESPValue, id: NotificationID) throws -> NotificationRecord? {
        let values = (reply.array ?? []).compactMap(\.string)
        guard !values.isEmpty else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: values.count - 1, by: 2) { fields[values[index]] = values[index + 1] }
        guard let metaText = fields["meta"], let orderText = fields["order"] else {
            throw RedisError(.unexpectedReply, "notification \(id) is incomplete in Redis")
        }
        let meta = try decodeMeta(metaText)
        let order = try decodeDeliveryKeys(orderText)
        let deliveries = try order.map { key in
            guard let text = fields["d:\(key)"] else {
                throw RedisError(.unexpectedReply, "notification \(id) lacks a delivery")
            }
            return try decodeDelivery(text)
        }
        return NotificationRecord(
            id: meta.id, topic: meta.topic, userID: meta.userID, content: meta.content, createdAt: meta.createdAt,
            deliveries: deliveries, scheduledFor: meta.scheduledFor,
            canceledAt: fields["canceled"].flatMap(Self.date(milliseconds:)),
            fallbackSteps: try fields["steps"].map(decodeFallbackSteps) ?? [],
            digest: try fields["digest"].map(decodeDigest))
    }

    /// A digest's contents as stored in its record's `digest` field.
    func decodeDigest(_ text: String) throws -> DigestContents {
        guard let contents = DigestContents(json: try JSONValue.parse(Data(text.utf8))) else {
            throw RedisError(.unexpectedReply, "a stored digest is not {count, items}")
        }
        return contents
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(milliseconds text: String) -> Date? {
        Double(text).map { Date(timeIntervalSince1970: $0 / 1000) }
    }
}
