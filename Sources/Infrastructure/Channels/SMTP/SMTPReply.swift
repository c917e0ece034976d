/// One SMTP reply: its three-digit code and text lines (multi-line replies joined).
struct SMTPReply: Sendable, CustomStringConvertible {
    let code: Int
    let lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    var isTransient: Bool { (400..<500).contains(code) }
    var text: String { lines.joined(separator: " ") }
    var description: String { "\(code) \(text)" }
}

/// The server answered something other than what the dialogue needs.
struct SMTPReplyError: Error, CustomStringConvertible {
    let command: String
    let reply: SMTPReply

    var description: String { "SMTP \(reply.code) after \(command): \(reply.text.prefix(300))" }
}
