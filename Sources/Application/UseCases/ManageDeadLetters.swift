public import HeraldDomain

/// Lists, retries and purges dead letters for operators, by delivery, by notification, by channel or all; each
/// costs O(letters selected), in pages of ``batch``.
public struct ManageDeadLetters: Sendable {
    /// Which dead letters an operation takes.
    public enum Selection: Hashable, Sendable {
        /// Dead letters by id (`<notification id>/<delivery key>`), or every dead letter of a notification id.
        case ids([String])
        case channel(ChannelName)
        case all
    }

    private let letters: any DeadLetterAdministration
    private let intake: any NotificationIntake
    private let store: any NotificationStore
    /// How many letters each step reads and changes.
    public static let batch = 500
    /// The most ids one request may name.
    public static let maxIDs = 1000

    public init(letters: any DeadLetterAdministration, intake: any NotificationIntake, store: any NotificationStore) {
        self.letters = letters
        self.intake = intake
        self.store = store
    }

    /// A page, newest first. - Throws: `invalid_value` for a limit outside 1...500 (field `limit`).
    public func page(channel: ChannelName?, limit: Int, after cursor: String?) async throws -> DeadLetterPage {
        guard (1...Self.batch).contains(limit) else {
            throw HeraldError(.invalidValue, "limit must be a whole number from 1 to \(Self.batch)", field: "limit")
        }
        return try await letters.deadLetterPage(channel: channel, limit: limit, after: cursor)
    }

    /// Requeues the selected letters' deliveries with a fresh attempt budget; returns how many were requeued.
    public func retry(_ selection: Selection) async throws -> Int {
        try await forEachBatch(selection) { batch in
            var requeued = 0
            for (notification, ids) in Dictionary(grouping: batch, by: \.notificationID) {
                requeued += try await intake.requeue(notification, deliveries: ids).count
            }
            // A letter whose delivery could not be requeued (its record expired, or it is no longer failed) is stale.
            let left = try await letters.deadLetters(of: batch).map(\.unit.id)
            _ = try await letters.removeDeadLetters(of: left)
            return requeued
        }
    }

    /// Removes the selected letters; their deliveries stay `failed`. Returns how many were removed.
    public func purge(_ selection: Selection) async throws -> Int {
        try await forEachBatch(selection) { batch in try await letters.removeDeadLetters(of: batch) }
    }

    private func forEachBatch(_ selection: Selection, _ body: ([DeliveryID]) async throws -> Int) async throws -> Int {
        switch selection {
        case .ids(let ids):
            guard ids.count <= Self.maxIDs else {
                throw HeraldError(.invalidValue, "name at most \(Self.maxIDs) ids at a time", field: "ids")
            }
            var deliveries: [DeliveryID] = []
            var notifications: [NotificationID] = []
            for (index, id) in ids.enumerated() {
                guard !id.isEmpty, id.utf8.count <= 1024 else {
                    throw HeraldError(.invalidValue, "ids[\(index)] must be 1 to 1024 bytes", field: "ids[\(index)]")
                }
                if let slash = id.firstIndex(of: "/") {
                    deliveries.append(DeliveryID(
                        notificationID: NotificationID(String(id[..<slash])), key: id[id.index(after: slash)...]))
                } else {
                    notifications.append(NotificationID(id))
                }
            }
            var total = try await deliveries.isEmpty ? 0 : body(deliveries)
            for notification in notifications {
                // A notification's letters are those of its failed deliveries (read from its record).
                let failed = try await store.record(for: notification)?.deliveries.filter { $0.status == .failed }
                    .map { $0.id(in: notification) } ?? []
                let held = try await letters.deadLetters(of: failed).map(\.unit.id)
                if !held.isEmpty { total += try await body(held) }
            }
            return total
        case .channel, .all:
            let channel: ChannelName? = if case .channel(let name) = selection { name } else { nil }
            var total = 0
            var cursor: String?
            repeat {
                let page = try await letters.deadLetterPage(channel: channel, limit: Self.batch, after: cursor)
                if !page.letters.isEmpty { total += try await body(page.letters.map(\.unit.id)) }
                cursor = page.nextCursor
            } while cursor != nil
            return total
        }
    }
}
