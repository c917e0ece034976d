/// How a channel's provider answered one attempt (contract §6).
public enum DeliveryOutcome: Hashable, Sendable {
    /// The provider accepted the message (Slack `200`, SMTP `250` after DATA, Twilio `201`, ...).
    case sent
    /// A transient failure (`5xx`, timeout, refused connection): retried with backoff.
    case retry(reason: String)
    /// The provider asked to slow down (`429`): retried after `retryAfter` (or the backoff when nil)
    /// without using up an attempt.
    case rateLimited(retryAfter: Duration?, reason: String)
    /// A permanent failure (other `4xx`, SMTP `5xx`): dead-lettered, never retried automatically.
    case failed(reason: String)
    /// A permanent failure because the provider says the address is gone for good (an unregistered or
    /// invalid push token): failed like ``failed(reason:)``, and Herald removes the address from the user.
    case addressGone(reason: String)
}
