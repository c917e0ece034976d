import Foundation
import HeraldApplication
import HeraldDomain

/// The JSON of the values every accept, reserve and settle writes or reads (units, delivery records, a record's
/// meta and order), coded by hand: Foundation's `JSONEncoder`/`JSONDecoder` took about a fifth of a Redis
/// worker's CPU. The text is the same as the generic coder's (keys sorted, nil fields left out, dates as
/// integer milliseconds), so records written by either read back with both, and Lua's `cjson` re-encodings of
/// units (keys in any order) read back too.
extension RedisCodec {
    func encode(_ unit: DeliveryUnit) -> String {
        var members: [String: JSONValue] = [
            "id": Self.json(unit.id), "attempts": .number(Double(unit.attempts)),
            "rateLimitStreak": .number(Double(unit.rateLimitStreak)), "recoveries": .number(Double(unit.recoveries)),
            "suspect": .bool(unit.isSuspect), "readySince": Self.json(unit.readySince),
            "slot": .bool(unit.holdsRateLimitSlot),
        ]
        if let since = unit.rateLimitedSince { members["rateLimitedSince"] = Self.json(since) }
        return JSONValue.object(members).jsonText
    }

    func decodeUnit(_ text: String) throws -> DeliveryUnit {
        let fields = try StoredFields(parsing: text, as: "delivery unit")
        let id = try fields.object("id")
        return DeliveryUnit(
            id: DeliveryID(
                notificationID: NotificationID(try id.string("notificationID")),
                channel: ChannelName(try id.string("channel")), recipient: try id.optionalString("recipient")),
            attempts: try fields.integer("attempts") ?? 0, rateLimitStreak: try fields.integer("rateLimitStreak") ?? 0,
            rateLimitedSince: try fields.optionalDate("rateLimitedSince"), recoveries: try fields.integer("recoveries") ?? 0,
            isSuspect: try fields.bool("suspect") ?? false, readySince: try fields.date("readySince"),
            holdsRateLimitSlot: try fields.bool("slot") ?? false)
    }

    func encode(_ delivery: DeliveryRecord) -> String {
        var members: [String: JSONValue] = [
            "channel": .string(delivery.channel.rawValue), "status": .string(delivery.status.rawValue),
            "attempts": .number(Double(delivery.attempts)), "updatedAt": Self.json(delivery.updatedAt),
        ]
        if let recipient = delivery.recipient { members["recipient"] = .string(recipient) }
        if let lastError = delivery.lastError { members["lastError"] = .string(lastError) }
        if let reason = delivery.reason { members["reason"] = .string(reason) }
        if delivery.fellBack { members["fellBack"] = .bool(true) }
        if !delivery.history.isEmpty {
            members["history"] = .array(delivery.history.map { attempt in
                var fields: [String: JSONValue] = ["at": Self.json(attempt.at), "outcome": .string(attempt.outcome.rawValue)]
                if let error = attempt.error { fields["error"] = .string(error) }
                if let duration = attempt.durationMilliseconds { fields["durationMilliseconds"] = .number(Double(duration)) }
                return .object(fields)
            })
        }
        return JSONValue.object(members).jsonText
    }

    func decodeDelivery(_ text: String) throws -> DeliveryRecord {
        let fields = try StoredFields(parsing: text, as: "delivery record")
        let statusText = try fields.string("status")
        guard let status = DeliveryStatus(rawValue: statusText) else {
            throw RedisError(.unexpectedReply, "a stored delivery record has an unknown status \"\(statusText)\"")
        }
        var delivery = DeliveryRecord(
            channel: ChannelName(try fields.string("channel")), recipient: try fields.optionalString("recipient"),
            status: status, attempts: try fields.integer("attempts") ?? 0, lastError: try fields.optionalString("lastError"),
            updatedAt: try fields.date("updatedAt"), reason: try fields.optionalString("reason"))
        delivery.fellBack = try fields.bool("fellBack") ?? false
        delivery.history = try fields.objects("history").map { attempt in
            let outcome = try attempt.string("outcome")
            guard let parsed = DeliveryAttempt.Outcome(rawValue: outcome) else {
                throw RedisError(.unexpectedReply, "a stored attempt has an unknown outcome \"\(outcome)\"")
            }
            return DeliveryAttempt(
                at: try attempt.date("at"), outcome: parsed, error: try attempt.optionalString("error"),
                durationMilliseconds: try attempt.integer("durationMilliseconds"))
        }
        return delivery
    }

    func encode(_ meta: RecordMeta) -> String {
        var content: [String: JSONValue] = ["body": .string(meta.content.body)]
        if let subject = meta.content.subject { content["subject"] = .string(subject) }
        if !meta.content.data.isEmpty { content["data"] = .object(meta.content.data) }
        if meta.content.priority != .normal { content["priority"] = .string(meta.content.priority.rawValue) }
        if let collapseKey = meta.content.collapseKey { content["collapseKey"] = .string(collapseKey) }
        if !meta.content.variants.isEmpty {
            content["variants"] = .object(Dictionary(uniqueKeysWithValues: meta.content.variants.map { channel, text in
                var members: [String: JSONValue] = ["body": .string(text.body)]
                if let subject = text.subject { members["subject"] = .string(subject) }
                return (channel.rawValue, JSONValue.object(members))
            }))
        }
        var members: [String: JSONValue] = [
            "id": .string(meta.id.rawValue), "content": .object(content), "createdAt": Self.json(meta.createdAt),
        ]
        if let topic = meta.topic { members["topic"] = .string(topic.rawValue) }
        if let userID = meta.userID { members["userID"] = .string(userID.rawValue) }
        if let scheduledFor = meta.scheduledFor { members["scheduledFor"] = Self.json(scheduledFor) }
        return JSONValue.object(members).jsonText
    }

    func decodeMeta(_ text: String) throws -> RecordMeta {
        let fields = try StoredFields(parsing: text, as: "record")
        let content = try fields.object("content")
        var variants: [ChannelName: RenderedContent.Text] = [:]
        for (channel, value) in try content.optionalObject("variants") ?? [:] {
            guard case .object(let members) = value, case .string(let body)? = members["body"] else {
                throw RedisError(.unexpectedReply, "a stored record's variant for \(channel) has no body")
            }
            if case .string(let subject)? = members["subject"] {
                variants[ChannelName(channel)] = RenderedContent.Text(subject: subject, body: body)
            } else {
                variants[ChannelName(channel)] = RenderedContent.Text(subject: nil, body: body)
            }
        }
        var meta = RecordMeta(
            id: NotificationID(try fields.string("id")), topic: try fields.optionalString("topic").map(Topic.init(rawValue:)),
            userID: try fields.optionalString("userID").map(UserID.init(rawValue:)),
            content: RenderedContent(
                subject: try content.optionalString("subject"), body: try content.string("body"),
                data: try content.optionalObject("data") ?? [:],
                priority: try content.optionalString("priority").flatMap(NotificationPriority.init(rawValue:)) ?? .normal,
                collapseKey: try content.optionalString("collapseKey")),
            createdAt: try fields.date("createdAt"), scheduledFor: try fields.optionalDate("scheduledFor"))
        meta.content.variants = variants
        return meta
    }

    func encode(deliveryKeys keys: [String]) -> String {
        JSONValue.array(keys.map(JSONValue.string)).jsonText
    }

    /// A fallback chain's steps as stored in `steps`: an array of arrays of delivery keys.
    func decodeFallbackSteps(_ text: String) throws -> [[String]] {
        guard case .array(let steps) = try StoredFields.parse(text, as: "fallback chain") else {
            throw RedisError(.unexpectedReply, "a stored fallback chain is not an array")
        }
        return try steps.map { step in
            guard case .array(let keys) = step else {
                throw RedisError(.unexpectedReply, "a stored fallback step is not an array")
            }
            return try keys.map { key in
                guard case .string(let text) = key else {
                    throw RedisError(.unexpectedReply, "a stored fallback step holds a \(key.typeName)")
                }
                return text
            }
        }
    }

    func decodeDeliveryKeys(_ text: String) throws -> [String] {
        guard case .array(let elements) = try StoredFields.parse(text, as: "delivery order") else {
            throw RedisError(.unexpectedReply, "a stored delivery order is not an array")
        }
        return try elements.map { element in
            guard case .string(let key) = element else {
                throw RedisError(.unexpectedReply, "a stored delivery order holds a \(element.typeName)")
            }
            return key
        }
    }

    private static func json(_ id: DeliveryID) -> JSONValue {
        var members: [String: JSONValue] = [
            "notificationID": .string(id.notificationID.rawValue), "channel": .string(id.channel.rawValue),
        ]
        if let recipient = id.recipient { members["recipient"] = .string(recipient) }
        return .object(members)
    }

    private static func json(_ date: Date) -> JSONValue { .number(Double(milliseconds(date))) }
}

/// Typed access to the members of a JSON object read back from Redis; a missing or mistyped member is an
/// `unexpectedReply` naming it.
private struct StoredFields {
    let members: [String: JSONValue]
    let what: String

    init(parsing text: String, as what: String) throws {
        guard case .object(let members) = try Self.parse(text, as: what) else {
            throw RedisError(.unexpectedReply, "a stored \(what) is not a JSON object")
        }
        self.init(members: members, what: what)
    }

    private init(members: [String: JSONValue], what: String) {
        self.members = members
        self.what = what
    }

    static func parse(_ text: String, as what: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(Data(text.utf8))
        } catch {
            throw RedisError(.unexpectedReply, "a stored \(what) is not valid JSON: \(error)")
        }
    }

    private func present(_ name: String) -> JSONValue? {
        guard let value = members[name], value != .null else { return nil }
        return value
    }

    private func mismatch(_ name: String, _ expected: String) -> RedisError {
        RedisError(.unexpectedReply, "a stored \(what)'s \(name) is \(members[name].map(\.typeName) ?? "missing"), not \(expected)")
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = present(name) else { return nil }
        guard case .string(let text) = value else { throw mismatch(name, "a string") }
        return text
    }

    func string(_ name: String) throws -> String {
        guard let text = try optionalString(name) else { throw mismatch(name, "a string") }
        return text
    }

    func integer(_ name: String) throws -> Int? {
        guard let value = present(name) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 9_007_199_254_740_992 else {
            throw mismatch(name, "an integer")
        }
        return Int(number)
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = present(name) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(name, "a boolean") }
        return flag
    }

    func optionalDate(_ name: String) throws -> Date? {
        guard let value = present(name) else { return nil }
        guard case .number(let milliseconds) = value, milliseconds.isFinite else { throw mismatch(name, "a time in milliseconds") }
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }

    func date(_ name: String) throws -> Date {
        guard let date = try optionalDate(name) else { throw mismatch(name, "a time in milliseconds") }
        return date
    }

    func optionalObject(_ name: String) throws -> [String: JSONValue]? {
        guard let value = present(name) else { return nil }
        guard case .object(let members) = value else { throw mismatch(name, "an object") }
        return members
    }

    /// The objects of an array member; none when it is absent (or `{}`: Lua's `cjson` writes an empty array so).
    func objects(_ name: String) throws -> [StoredFields] {
        guard let value = present(name) else { return [] }
        if case .object(let members) = value, members.isEmpty { return [] }
        guard case .array(let elements) = value else { throw mismatch(name, "an array") }
        return try elements.enumerated().map { index, element in
            guard case .object(let members) = element else { throw mismatch(name, "an array of objects") }
            return StoredFields(members: members, what: "\(what)'s \(name)[\(index)]")
        }
    }

    func object(_ name: String) throws -> StoredFields {
        guard case .object(let members)? = present(name) else { throw mismatch(name, "an object") }
        return StoredFields(members: members, what: "\(what)'s \(name)")
    }
}
