import Foundation
import HeraldApplication
import HeraldDomain

/// `/v1/dead-letters` (contract §12): list newest first with a cursor, retry and purge by ids, channel or all.
extension HeraldAPI {
    func listDeadLetters(_ request: HeraldAPI.Request) async throws -> HeraldAPI.Response {
        let query = try QueryParameters(request.query, allowing: ["channel", "limit", "cursor"])
        let page = try await services.deadLetters.page(
            channel: query.string("channel").map(ChannelName.init(rawValue:)),
            limit: try query.integer("limit", in: 1...ManageDeadLetters.batch, default: 50), after: query.string("cursor"))
        return .json(200, JSONBody.encode(.object([
            "items": .array(page.letters.map(Self.document(for:))),
            "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null,
        ])))
    }

    func changeDeadLetters(_ request: HeraldAPI.Request, retrying: Bool) async throws -> HeraldAPI.Response {
        try Self.checkJSONBody(request.body, contentType: request.header("Content-Type"), maxBodyBytes: maxBodyBytes)
        let selection = try Self.selection(JSONValue.parseObject(Data(request.body)))
        if retrying {
            let count = try await services.deadLetters.retry(selection)
            return .json(200, JSONBody.encode(.object(["retried": .number(Double(count))])))
        }
        let count = try await services.deadLetters.purge(selection)
        return .json(200, JSONBody.encode(.object(["purged": .number(Double(count))])))
    }

    /// `{"ids": [...]}`, `{"channel": "sms"}` or `{}` (every dead letter); one selector at most.
    private static func selection(_ body: [String: JSONValue]) throws(HeraldError) -> ManageDeadLetters.Selection {
        if let unknown = body.keys.sorted().first(where: { !["ids", "channel"].contains($0) }) {
            throw HeraldError(.unknownField, "unknown field \"\(unknown)\"", field: unknown)
        }
        switch (body["ids"], body["channel"]) {
        case (nil, nil): return .all
        case (.array(let elements)?, nil):
            var ids: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let id) = element else {
                    throw HeraldError(.invalidValue, "ids[\(index)] must be a string, not \(element.typeName)", field: "ids[\(index)]")
                }
                ids.append(id)
            }
            guard !ids.isEmpty else { throw HeraldError(.invalidValue, "ids must name at least one dead letter", field: "ids") }
            return .ids(ids)
        case (nil, .string(let channel)?) where !channel.isEmpty: return .channel(ChannelName(channel))
        case (nil, let value?): throw HeraldError(.invalidValue, "channel must be a channel's name, not \(value.typeName)", field: "channel")
        case (let value?, nil): throw HeraldError(.invalidValue, "ids must be an array of strings, not \(value.typeName)", field: "ids")
        case (_?, _?): throw HeraldError(.invalidValue, "give ids or channel, not both", field: "channel")
        }
    }

    static func document(for letter: DeadLetter) -> JSONValue {
        let id = letter.unit.id
        var fields: [String: JSONValue] = [
            "id": .string("\(id.notificationID.rawValue)/\(id.key)"), "notification_id": .string(id.notificationID.rawValue),
            "channel": .string(id.channel.rawValue), "reason": .string(letter.reason),
            "attempts": .number(Double(letter.attempts ?? letter.unit.attempts)), "dead_lettered_at": .string(StatusDocument.timestamp(letter.deadAt)),
        ]
        if let recipient = id.recipient { fields["recipient"] = .string(RecipientMask.mask(recipient)) }
        return .object(fields)
    }
}
