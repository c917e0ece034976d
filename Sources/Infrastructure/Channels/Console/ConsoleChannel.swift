public import HeraldApplication
public import HeraldDomain

/// Prints one line per delivery (`[slack] ntf_….slack to ana@example.com: Customer needs help`):
/// the embedded default's stand-in for real providers, and a handy channel for development.
public struct ConsoleChannel: NotificationChannel {
    private let output: LineOutput

    public init(output: LineOutput = .standardOutput) {
        self.output = output
    }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        await output(Self.line(for: message))
        return .sent
    }

    /// The line printed for `message`; line breaks in the text are shown as `⏎` to keep it one line.
    public static func line(for message: OutgoingMessage) -> String {
        var line = "[\(message.channel)] \(message.deliveryID)"
        if !message.recipients.isEmpty { line += " to \(message.recipients.joined(separator: ", "))" }
        line += ": "
        if let subject = message.subject { line += "\(subject) | " }
        line += message.body
        return oneLine(line)
    }

    /// `text` with each CRLF, LF and CR turned into one `⏎`, in one pass over its scalars.
    private static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            result.append(scalar == "\n" || scalar == "\r" ? "⏎" : scalar)
        }
        return String(result)
    }
}
