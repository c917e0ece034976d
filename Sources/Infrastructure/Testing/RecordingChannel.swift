public import HeraldApplication
public import HeraldDomain
import Synchronization

/// A channel that records every message it is asked to send, in order, and reports it sent.
public final class RecordingChannel: NotificationChannel {
    /// One recorded message, comparable with `==` in tests.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        public var channel: ChannelName
        public var recipients: [String]
        public var subject: String?
        public var body: String

        public init(channel: ChannelName, recipients: [String] = [], subject: String? = nil, body: String) {
            self.channel = channel
            self.recipients = recipients
            self.subject = subject
            self.body = body
        }

        public var description: String {
            let to = recipients.isEmpty ? "" : " to \(recipients.joined(separator: ", "))"
            let subject = subject.map { " [\($0)]" } ?? ""
            return "\(channel)\(to)\(subject): \(body)"
        }
    }

    private let recorded = Mutex<[OutgoingMessage]>([])

    public init() {}

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        recorded.withLock { $0.append(message) }
        return .sent
    }

    /// Every message sent so far, in order, as comparable entries.
    public var messages: [Entry] {
        outgoing.map {
            Entry(channel: $0.channel, recipients: $0.recipients, subject: $0.subject, body: $0.body)
        }
    }

    /// Every message sent so far, in order, with all delivery details.
    public var outgoing: [OutgoingMessage] { recorded.withLock { $0 } }

    /// Forgets what was recorded.
    public func reset() { recorded.withLock { $0.removeAll() } }
}
