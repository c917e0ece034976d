import Foundation
@testable import HeraldChannels
import HeraldDomain

/// A pretend SMTP server for dialogue tests, without sockets: answers each command a dialogue sends with
/// the next scripted reply for its step, or the step's normal reply when none is scripted.
struct ScriptedSMTPServer {
    enum Step: Hashable {
        case greeting, ehlo, helo, authPlain, authLogin, authUser, authPassword, mail, rcpt, data, end, quit
    }

    /// Replies still to give, per step, first first; each may hold several lines (CRLF between them).
    var replies: [Step: [String]] = [:]
    var extensions = ["8BITMIME", "AUTH PLAIN LOGIN", "SIZE 1000"]
    private var inData = false
    private var loginStep: Step?

    init(_ replies: [Step: [String]] = [:]) {
        self.replies = replies
    }

    mutating func greeting() -> [UInt8] {
        reply(.greeting)
    }

    /// The reply to what the client wrote (one command, or the whole message after `DATA`).
    mutating func answer(_ bytes: [UInt8]) -> [UInt8] {
        let line = String(decoding: bytes, as: UTF8.self)
        if inData {
            inData = false
            return reply(.end)
        }
        if let step = loginStep {
            loginStep = nil
            let answer = reply(step)
            if step == .authUser, answer.starts(with: Array("334".utf8)) { loginStep = .authPassword }
            return answer
        }
        let step: Step =
            switch line.prefix(4).uppercased() {
            case "EHLO": .ehlo
            case "HELO": .helo
            case "AUTH": line.hasPrefix("AUTH LOGIN") ? .authLogin : .authPlain
            case "MAIL": .mail
            case "RCPT": .rcpt
            case "DATA": .data
            default: .quit
            }
        let answer = reply(step)
        if step == .data, answer.starts(with: Array("354".utf8)) { inData = true }
        if step == .authLogin, answer.starts(with: Array("334".utf8)) { loginStep = .authUser }
        return answer
    }

    private mutating func reply(_ step: Step) -> [UInt8] {
        let text: String
        if var queued = replies[step], !queued.isEmpty {
            text = queued.removeFirst()
            replies[step] = queued
        } else {
            text = normalReply(step)
        }
        return Array((text + "\r\n").utf8)
    }

    private func normalReply(_ step: Step) -> String {
        switch step {
        case .greeting: "220 test.local ESMTP"
        case .ehlo:
            (["test.local"] + extensions).enumerated().map { index, line in
                (index == extensions.count ? "250 " : "250-") + line
            }.joined(separator: "\r\n")
        case .helo, .mail, .rcpt, .end: "250 ok"
        case .authPlain: "235 2.7.0 accepted"
        case .authLogin: "334 VXNlcm5hbWU6"
        case .authUser: "334 UGFzc3dvcmQ6"
        case .authPassword: "235 2.7.0 accepted"
        case .data: "354 end with <CRLF>.<CRLF>"
        case .quit: "221 bye"
        }
    }
}

/// What one scripted conversation did: the client's writes (as text), the outcome, whether it closed.
struct ScriptedRun: Equatable {
    var sent: [String] = []
    var outcome: DeliveryOutcome?
    var outcomes = 0
    var closed = false

    /// Runs `dialogue` against `server`, handing it each batch of the server's bytes cut by `split`.
    static func run(
        _ dialogue: SMTPDialogue, against server: ScriptedSMTPServer,
        split: (ArraySlice<UInt8>) -> [ArraySlice<UInt8>] = { [$0] }
    ) -> ScriptedRun {
        var dialogue = dialogue
        var server = server
        var run = ScriptedRun()
        var pending = server.greeting()
        while !pending.isEmpty, !run.closed {
            let chunks = split(pending[...])
            pending = []
            for chunk in chunks {
                for action in dialogue.receive(chunk) {
                    switch action {
                    case .send(let bytes):
                        run.sent.append(String(decoding: bytes, as: UTF8.self))
                        pending += server.answer(bytes)
                    case .finish(let outcome):
                        run.outcome = outcome
                        run.outcomes += 1
                    case .close:
                        run.closed = true
                    }
                }
            }
        }
        return run
    }
}

/// SplitMix64: a seeded generator, so a failing random case can be run again from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SMTPDialogue {
    /// A dialogue for a two-line message to `recipients`, as the channel tests send it.
    static func test(
        recipients: [String] = ["ana@example.com"], username: String? = nil, password: String? = nil
    ) -> SMTPDialogue {
        let email = EmailMessage(
            from: "herald@example.com", to: recipients, subject: "Hello", body: "Hi\n.hidden",
            date: Date(timeIntervalSince1970: 1_800_000_000), messageID: "<id@example.com>")
        return SMTPDialogue(email: email, heloName: "herald.test", username: username, password: password)
    }
}
