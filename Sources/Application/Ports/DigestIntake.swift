public import HeraldDomain

/// Where requests join an open digest (contract §11): a digest is a scheduled notification that collects the
/// requests of one topic for one user until it is due; each join rewrites its message, atomically.
public protocol DigestIntake: Sendable {
    /// The notification collecting the digest `key` (``DigestContents/key(topic:user:)``), if one holds it now.
    func openDigest(for key: String) async throws -> NotificationID?

    /// Stores `content` and `contents` in the digest `id` if it still holds `expectedCount` requests and is still
    /// collecting (not due, canceled or begun), claiming `idempotency` with it.
    func appendToDigest(
        _ id: NotificationID, content: RenderedContent, contents: DigestContents, expectedCount: Int,
        idempotency: IdempotencyEntry?
    ) async throws -> DigestAppendOutcome
}

/// What an ``DigestIntake/appendToDigest(_:content:contents:expectedCount:idempotency:)`` did.
public enum DigestAppendOutcome: Hashable, Sendable {
    /// Stored: the request is part of the digest.
    case appended
    /// Another request joined first; read the digest again and retry.
    case changed
    /// The digest no longer collects (due, canceled or begun): start a new one.
    case closed
    /// The idempotency key was claimed meanwhile; nothing was written.
    case duplicate(IdempotencyEntry)
}
