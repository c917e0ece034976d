public import HeraldApplication
public import HeraldDomain

/// Dead letters for operators (contract §12), as `/v1/dead-letters` and `herald dead-letters` serve them.
extension Herald {
    /// Up to `limit` (1 to 500) dead letters, newest first, of one channel or all; pass the previous page's
    /// `nextCursor` to go on. - Throws: `invalid_value` (limit, cursor), `queue_unavailable`.
    public func deadLetters(channel: ChannelName? = nil, limit: Int = 50, after cursor: String? = nil) async throws
        -> DeadLetterPage
    {
        try await manageDeadLetters.page(channel: channel, limit: limit, after: cursor)
    }

    /// Requeues the selected dead letters with a fresh attempt budget; returns how many were requeued.
    @discardableResult
    public func retryDeadLetters(_ selection: ManageDeadLetters.Selection) async throws -> Int {
        try await manageDeadLetters.retry(selection)
    }

    /// Removes the selected dead letters (their deliveries stay `failed`); returns how many were removed.
    @discardableResult
    public func purgeDeadLetters(_ selection: ManageDeadLetters.Selection) async throws -> Int {
        try await manageDeadLetters.purge(selection)
    }
}
