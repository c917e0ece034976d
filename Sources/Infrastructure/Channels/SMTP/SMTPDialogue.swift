import Foundation
import HeraldDomain
import HeraldSockets

/// The client side of one SMTP transaction (RFC 5321) as a value: fed what the server sends, it answers
/// with what to write next, and with the delivery's outcome once that is known. It never touches a socket
/// or a clock; the loop driver (``SMTPSession``) carries its actions out and tells it when the connection
/// ends, so every path is tested with scripted bytes.
///
/// The steps: greeting `220`; `EHLO`, or `HELO` when `EHLO` gets a `5xx`; `AUTH PLAIN` (or `AUTH LOGIN`
/// when the server offers `LOGIN` and not `PLAIN`) when credentials are configured; `MAIL FROM` (with
/// ` BODY=8BITMIME` when offered); one `RCPT TO` per recipient; `DATA` and `354`; the message; `250`.
/// Then, and after any unexpected reply, `QUIT`, whose answer changes nothing. A `5xx` fails the
/// delivery, any other unexpected reply (a `4xx`, a malformed line) or a lost connection retries it.
/// Reasons never hold the password or the AUTH tokens made from it.
struct SMTPDialogue {
    /// What the driver does next.
    enum Action: Equatable {
        /// Write these bytes to the server.
        case send([UInt8])
        /// The delivery's outcome is known; the conversation may go on only to say `QUIT`.
        case finish(DeliveryOutcome)
        /// Close the connection: the conversation is over.
        case close
    }

    private enum Step {
        case greeting, ehlo, helo, authPlain, authLogin, authLoginUser, authLoginPassword, mailFrom
        case recipient(Int)
        case data, endOfData, quitting, closed
    }

    /// The command that ends every conversation.
    static let quit = Array("QUIT\r\n".utf8)

    private let email: EmailMessage
    /// The message as sent after `DATA`, with and without 8BITMIME, encoded up front so that the loop
    /// thread only writes it.
    private let data: (eightBit: [UInt8], sevenBit: [UInt8])
    private let heloName: String
    private let credentials: (username: String, password: String)?
    private let scrubber: SecretScrubber
    private var reader = SMTPReplyReader()
    private var step = Step.greeting
    /// What the reply being waited for answers, as reasons name it.
    private var awaited = "greeting"
    private var extensions: [String] = []
    private var eightBit: Bool { extensions.contains("8BITMIME") }

    init(email: EmailMessage, heloName: String, username: String?, password: String?) {
        self.email = email
        data = (email.data(eightBitAllowed: true), email.data(eightBitAllowed: false))
        self.heloName = heloName
        credentials = username.flatMap { username in password.map { (username: username, password: $0) } }
        scrubber = SecretScrubber(
            password.map { [$0, Data($0.utf8).base64EncodedString(), Self.plainToken(username ?? "", $0)] } ?? [])
    }

    /// Whether the outcome is known (``Action/finish(_:)`` was returned, or the connection ended).
    var isFinished: Bool {
        switch step {
        case .quitting, .closed: true
        default: false
        }
    }

    /// Takes what the server sent and returns what to do, in order.
    mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        reader.feed(bytes)
        var actions: [Action] = []
        while !isClosed {
            do throws(SMTPReplyError) {
                guard let reply = try reader.next() else { break }
                actions += answer(reply)
            } catch {
                actions += fail(error)
            }
        }
        return actions
    }

    /// The connection ended (closed by the server, failed, or out of time): the outcome, unless it was
    /// already known.
    mutating func connectionEnded(_ error: SocketError) -> DeliveryOutcome? {
        defer { step = .closed }
        guard !isFinished else { return nil }
        return scrubbed(.retry(reason: "SMTP connection failed: \(error)"))
    }

    private var isClosed: Bool {
        if case .closed = step { return true }
        return false
    }

    private mutating func answer(_ reply: SMTPReply) -> [Action] {
        switch step {
        case .greeting:
            guard reply.code == 220 else { return fail(SMTPReplyError(command: awaited, reply: reply)) }
            return command("EHLO \(heloName)", next: .ehlo)
        case .ehlo:
            if reply.code >= 500 { return command("HELO \(heloName)", next: .helo) }
            guard (200...299).contains(reply.code) else { return fail(SMTPReplyError(command: awaited, reply: reply)) }
            extensions = reply.lines.dropFirst().map { $0.uppercased() }
            return afterHello()
        case .helo:
            return expect(reply, in: 200...299) { $0.afterHello() }
        case .authPlain, .authLoginPassword:
            return expect(reply, in: 235...235) { $0.mailFrom() }
        case .authLogin:
            return expect(reply, in: 334...334) { dialogue in
                dialogue.command(
                    Data((dialogue.credentials?.username ?? "").utf8).base64EncodedString(), next: .authLoginUser,
                    logAs: "AUTH LOGIN user")
            }
        case .authLoginUser:
            return expect(reply, in: 334...334) { dialogue in
                dialogue.command(
                    Data((dialogue.credentials?.password ?? "").utf8).base64EncodedString(), next: .authLoginPassword,
                    logAs: "AUTH LOGIN password")
            }
        case .mailFrom:
            return expect(reply, in: 200...299) { $0.recipient(0) }
        case .recipient(let index):
            return expect(reply, in: 200...299) { $0.recipient(index + 1) }
        case .data:
            return expect(reply, in: 354...354) { dialogue in
                dialogue.step = .endOfData
                dialogue.awaited = "end of data"
                return [.send(dialogue.eightBit ? dialogue.data.eightBit : dialogue.data.sevenBit)]
            }
        case .endOfData:
            guard reply.code == 250 else { return fail(SMTPReplyError(command: awaited, reply: reply)) }
            step = .quitting
            return [.finish(.sent), .send(Self.quit)]
        case .quitting:
            step = .closed
            return [.close]
        case .closed:
            return []
        }
    }

    /// Goes on with `next` when the reply's code is in `expected`, else fails with it.
    private mutating func expect(
        _ reply: SMTPReply, in expected: ClosedRange<Int>, _ next: (inout SMTPDialogue) -> [Action]
    ) -> [Action] {
        guard expected.contains(reply.code) else { return fail(SMTPReplyError(command: awaited, reply: reply)) }
        return next(&self)
    }

    private mutating func afterHello() -> [Action] {
        guard let (username, password) = credentials else { return mailFrom() }
        let mechanisms = extensions.first { $0.hasPrefix("AUTH") }?.split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            return command("AUTH PLAIN \(Self.plainToken(username, password))", next: .authPlain, logAs: "AUTH PLAIN")
        }
        return command("AUTH LOGIN", next: .authLogin)
    }

    private mutating func mailFrom() -> [Action] {
        command("MAIL FROM:<\(email.from)>" + (eightBit ? " BODY=8BITMIME" : ""), next: .mailFrom)
    }

    private mutating func recipient(_ index: Int) -> [Action] {
        guard index < email.to.count else { return command("DATA", next: .data) }
        return command("RCPT TO:<\(email.to[index])>", next: .recipient(index))
    }

    private mutating func command(_ line: String, next: Step, logAs: String? = nil) -> [Action] {
        step = next
        awaited = logAs ?? line
        return [.send(Array((line + "\r\n").utf8))]
    }

    /// An unexpected reply (or an unreadable one): `5xx` fails, anything else retries; then `QUIT`.
    private mutating func fail(_ error: SMTPReplyError) -> [Action] {
        guard !isFinished else {
            step = .closed
            return [.close]
        }
        step = .quitting
        let reason = "\(error)"
        return [.finish(scrubbed(error.reply.code >= 500 ? .failed(reason: reason) : .retry(reason: reason))), .send(Self.quit)]
    }

    private func scrubbed(_ outcome: DeliveryOutcome) -> DeliveryOutcome {
        switch outcome {
        case .sent: .sent
        case .retry(let reason): .retry(reason: scrubber.scrub(reason))
        case .failed(let reason): .failed(reason: scrubber.scrub(reason))
        case .addressGone(let reason): .addressGone(reason: scrubber.scrub(reason))
        case .rateLimited(let after, let reason): .rateLimited(retryAfter: after, reason: scrubber.scrub(reason))
        }
    }

    /// `AUTH PLAIN`'s argument: base64 of NUL, the user name, NUL, the password.
    private static func plainToken(_ username: String, _ password: String) -> String {
        Data([0] + Array(username.utf8) + [0] + Array(password.utf8)).base64EncodedString()
    }
}
