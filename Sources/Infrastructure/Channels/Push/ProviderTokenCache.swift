package import Foundation
package import HeraldApplication

/// Holds a provider's bearer token (an APNs JWT, an FCM access token) until it is due for renewal, and
/// renews it once however many sends ask at the same time.
package actor ProviderTokenCache {
    /// A token and when it should be replaced.
    package struct Token: Sendable {
        package var value: String
        package var renewAt: Date

        package init(value: String, renewAt: Date) {
            self.value = value
            self.renewAt = renewAt
        }
    }

    private let clock: any WallClock
    private let issue: @Sendable () async throws -> Token
    private var current: Token?
    private var renewal: Task<Token, any Error>?
    /// How many tokens were issued so far (each a JWT signed, or a token exchange made).
    package private(set) var issuedCount = 0

    /// - Parameter issue: makes a new token; its errors reach the send that asked.
    package init(clock: any WallClock, issue: @escaping @Sendable () async throws -> Token) {
        self.clock = clock
        self.issue = issue
    }

    /// The current token, renewed first when it is due.
    package func token() async throws -> String {
        if let current, clock.now < current.renewAt { return current.value }
        return try await renew()
    }

    /// A token other than `rejected`, which the provider refused: renewed unless another send renewed it already.
    package func replacing(_ rejected: String) async throws -> String {
        if let current, current.value != rejected, clock.now < current.renewAt { return current.value }
        current = nil
        return try await renew()
    }

    private func renew() async throws -> String {
        if let renewal { return try await renewal.value.value }
        let task = Task { try await issue() }
        renewal = task
        defer { renewal = nil }
        let token = try await task.value
        current = token
        issuedCount += 1
        return token.value
    }
}
