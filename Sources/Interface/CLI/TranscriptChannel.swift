import Herald
import HeraldChannels
import Synchronization

/// The demo's channel: sends through the console channel, keeps a transcript of what each channel
/// sent, and can be told to reject the next message (to show a failure and a resend).
final class TranscriptChannel: NotificationChannel {
    struct Line {
        let channel: ChannelName
        let recipients: [String]
        let subject: String?
        let body: String
        let outcome: String
    }

    private struct State {
        var lines: [Line] = []
        var rejections: [String] = []
    }

    private let state: Mutex<State>
    private let transcript: Transcript
    private let console = ConsoleChannel()

    init(transcript: Transcript) {
        self.transcript = transcript
        self.state = Mutex(State())
    }

    /// Makes the next send fail permanently with `reason`, as a provider rejecting it would.
    func rejectNext(reason: String) {
        state.withLock { $0.rejections.append(reason) }
    }

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let rejection = state.withLock { $0.rejections.isEmpty ? nil : $0.rejections.removeFirst() }
        let outcome: DeliveryOutcome
        if let rejection {
            outcome = .failed(reason: rejection)
        } else {
            outcome = try await console.send(message)
        }
        let description: String =
            switch outcome {
            case .sent: "sent"
            case .failed(let reason), .addressGone(let reason): "failed: \(reason)"
            case .retry(let reason): "retry: \(reason)"
            case .rateLimited(_, let reason): "rate limited: \(reason)"
            }
        transcript.append(
            Line(channel: message.channel, recipients: message.recipients, subject: message.subject,
                 body: message.body, outcome: description))
        return outcome
    }
}

/// Every line the demo's channels produced, in order.
final class Transcript: Sendable {
    private let lines = Mutex<[TranscriptChannel.Line]>([])

    func append(_ line: TranscriptChannel.Line) { lines.withLock { $0.append(line) } }
    var all: [TranscriptChannel.Line] { lines.withLock { $0 } }
}
