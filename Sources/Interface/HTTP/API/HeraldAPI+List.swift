import Foundation
import HeraldApplication
import HeraldDomain

/// `GET /v1/notifications` (contract §12): status bodies newest first, filtered, with a cursor.
extension HeraldAPI {
    func listNotifications(_ request: HeraldAPI.Request) async throws -> HeraldAPI.Response {
        let query = try QueryParameters(
            request.query, allowing: ["status", "topic", "user_id", "since", "until", "limit", "cursor"])
        let page = try await services.list(
            try Self.filter(query), limit: try query.integer("limit", in: 1...ListNotifications.maxLimit, default: 50),
            after: query.string("cursor"))
        return .json(200, JSONBody.encode(.object([
            "items": .array(page.records.map(StatusDocument.document(for:))),
            "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null,
        ])))
    }

    /// The filter of a list query (`status`, `topic`, `user_id`, `since`, `until` as RFC 3339).
    static func filter(_ query: QueryParameters) throws(HeraldError) -> NotificationFilter {
        var filter = NotificationFilter()
        if let status = query.string("status") {
            guard let parsed = NotificationStatus(rawValue: status) else {
                throw HeraldError(
                    .invalidValue,
                    "status must be one of \(NotificationStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "status")
            }
            filter.status = parsed
        }
        filter.topic = query.string("topic").map(Topic.init(rawValue:))
        filter.userID = query.string("user_id").map(UserID.init(rawValue:))
        for name in ["since", "until"] {
            guard let text = query.string(name) else { continue }
            guard let date = RFC3339.date(from: text) else {
                throw HeraldError(.invalidValue, "\(name) must be an RFC 3339 time (2026-12-24T18:00:00Z)", field: name)
            }
            if name == "since" { filter.since = date } else { filter.until = date }
        }
        return filter
    }
}
