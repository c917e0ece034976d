package import Foundation
package import HeraldDomain

/// The status of a notification as JSON, in the shape of contract §5:
/// `{"id", "topic", "status", "created_at", "deliveries": [{"channel", "recipient"?, "status", "attempts",
/// "last_error", "updated_at"}]}` (`recipient`, masked, only on per-recipient deliveries; `send_at` on a scheduled
/// notification, `canceled_at` on a canceled one), timestamps in RFC 3339 (UTC, milliseconds), `last_error` null until an attempt fails.
package enum StatusDocument {
    /// The JSON bytes for `record`, keys in a stable order.
    package static func json(for record: NotificationRecord) -> Data {
        JSONBody.encode(document(for: record))
    }

    /// The status body of `record` as a JSON value (an item of `GET /v1/notifications`).
    package static func document(for record: NotificationRecord) -> JSONValue {
        let deliveries: [JSONValue] = record.deliveries.map { delivery in
            var fields: [String: JSONValue] = [
                "channel": .string(delivery.channel.rawValue),
                "status": .string(delivery.status.rawValue),
                "attempts": .number(Double(delivery.attempts)),
                "last_error": delivery.lastError.map(JSONValue.string) ?? .null,
                "updated_at": .string(timestamp(delivery.updatedAt)),
            ]
            if let recipient = delivery.recipient { fields["recipient"] = .string(RecipientMask.mask(recipient)) }
            if let reason = delivery.reason { fields["reason"] = .string(reason) }
            if !delivery.history.isEmpty {
                fields["history"] = .array(delivery.history.map { attempt in
                    var entry: [String: JSONValue] = [
                        "at": .string(timestamp(attempt.at)), "outcome": .string(attempt.outcome.rawValue),
                    ]
                    if let error = attempt.error { entry["error"] = .string(error) }
                    if let duration = attempt.durationMilliseconds { entry["duration_ms"] = .number(Double(duration)) }
                    return .object(entry)
                })
            }
            return .object(fields)
        }
        var document: [String: JSONValue] = [
            "id": .string(record.id.rawValue),
            "topic": record.topic.map { .string($0.rawValue) } ?? .null,
            "status": .string(record.status.rawValue),
            "created_at": .string(timestamp(record.createdAt)),
            "deliveries": .array(deliveries),
            "message": .string(record.content.body),
        ]
        if let subject = record.content.subject { document["subject"] = .string(subject) }
        if let scheduledFor = record.scheduledFor { document["send_at"] = .string(timestamp(scheduledFor)) }
        if let canceledAt = record.canceledAt { document["canceled_at"] = .string(timestamp(canceledAt)) }
        if let digest = record.digest { document["digest"] = .object(["count": .number(Double(digest.count))]) }
        return .object(document)
    }

    /// RFC 3339 with milliseconds in UTC (`2026-11-22T00:28:35.123Z`).
    package static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
