public import HeraldDomain

/// Paging through and removing dead letters (`/v1/dead-letters`, `herald dead-letters`): each call costs
/// O(letters named or returned), whatever the number of dead letters. Retrying is `NotificationIntake.requeue`.
public protocol DeadLetterAdministration: Sendable {
    /// Up to `limit` dead letters, newest first, of one channel or of all; `cursor` is the previous page's
    /// ``DeadLetterPage/nextCursor``.
    func deadLetterPage(channel: ChannelName?, limit: Int, after cursor: String?) async throws -> DeadLetterPage

    /// The dead letters of these deliveries that exist.
    func deadLetters(of deliveries: [DeliveryID]) async throws -> [DeadLetter]

    /// Removes the dead letters of these deliveries; returns how many there were. Their deliveries stay `failed`.
    func removeDeadLetters(of deliveries: [DeliveryID]) async throws -> Int
}

/// One page of dead letters and where the next one starts (nil after the last).
public struct DeadLetterPage: Hashable, Sendable {
    public var letters: [DeadLetter]
    public var nextCursor: String?

    public init(letters: [DeadLetter], nextCursor: String?) {
        self.letters = letters
        self.nextCursor = nextCursor
    }
}
