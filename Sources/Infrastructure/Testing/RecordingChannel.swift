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

    private struct State {
        var messages: [OutgoingMessage] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let ready = state.withLock { state in
            state.messages.append(message)
            let count = state.messages.count
            let ready = state.waiters.filter { $0.count <= count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= count }
            return ready
        }
        for waiter in ready { waiter.resume() }
        return .sent
    }

    /// Returns once at least `count` messages were recorded, so a test running real workers waits for
    /// an event instead of sleeping (put a time limit on the test).
    public func waitForMessages(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isReady = state.withLock { state in
                guard state.messages.count < count else { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if isReady { continuation.resume() }
        }
    }

    /// Every message sent so far, in order, as comparable entries.
    public var messages: [Entry] {
        outgoing.map {
            Entry(channel: $0.channel, recipients: $0.recipients, subject: $0.subject, body: $0.body)
        }
    }

    /// Every message sent so far, in order, with all delivery details.
    public var outgoing: [OutgoingMessage] { state.withLock { $0.messages } }
}
