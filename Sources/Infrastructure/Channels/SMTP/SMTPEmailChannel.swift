public import Foundation
public import HeraldApplication
public import HeraldDomain
import HeraldSockets

/// Sends email over SMTP (RFC 5321) with Herald's own client: greeting, `EHLO` (falling back to
/// `HELO`), optional `AUTH PLAIN`/`LOGIN`, `MAIL FROM`, one `RCPT TO` per recipient, `DATA`, `QUIT`.
/// `250` after the data is sent; a `5xx` reply failed; `4xx` replies and network errors retried.
/// Addresses outside ``AddressRules`` (the from address or any recipient) fail the delivery before a
/// connection is opened, so nothing but a bare mailbox ever reaches `MAIL FROM` or `RCPT TO`.
/// The conversation runs on a thread of its own, never on the cooperative pool. There is no TLS
/// (Herald takes no packages): send through a local relay, and authentication over clear text
/// requires ``Configuration/allowInsecureAuth``.
public struct SMTPEmailChannel: NotificationChannel, CustomStringConvertible {
    /// Where and how to send.
    public struct Configuration: Hashable, Sendable {
        public var host: String
        public var port: Int
        /// The envelope and `From:` address.
        public var from: String
        /// The name sent with `EHLO`.
        public var heloName: String
        public var username: String?
        /// Never printed.
        public var password: String?
        /// Allows `AUTH` without TLS; off by default because the password would cross the network in clear.
        public var allowInsecureAuth: Bool
        /// How long one whole conversation may take.
        public var timeout: Duration

        public init(
            host: String, port: Int = 25, from: String, heloName: String = "localhost", username: String? = nil,
            password: String? = nil, allowInsecureAuth: Bool = false, timeout: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.from = from
            self.heloName = heloName
            self.username = username
            self.password = password
            self.allowInsecureAuth = allowInsecureAuth
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    private let now: @Sendable () -> Date

    public init(configuration: Configuration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    public var description: String {
        "SMTPEmailChannel(\(configuration.host):\(configuration.port), from: \(configuration.from)"
            + (configuration.username == nil ? ")" : ", user: \(configuration.username!), password: ***)")
    }

    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let headerValues = [configuration.from, message.subject ?? ""] + message.recipients
        if headerValues.contains(where: { $0.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) }) {
            return .failed(reason: "refused: CR or LF in an address or the subject (header injection)")
        }
        guard !message.recipients.isEmpty else { return .failed(reason: "no recipient address") }
        guard AddressRules.isValidEmail(configuration.from) else {
            return .failed(reason: "refused: the from address \(AddressRules.rule(for: .email))")
        }
        if let index = message.recipients.firstIndex(where: { !AddressRules.isValidEmail($0) }) {
            let position = "recipient \(index + 1) of \(message.recipients.count)"
            return .failed(reason: "refused: \(position) \(AddressRules.rule(for: .email))")
        }
        if configuration.username != nil, !configuration.allowInsecureAuth {
            return .failed(reason: "SMTP AUTH over clear text is refused; set allow_insecure_auth or use a local relay")
        }
        let email = EmailMessage(
            from: configuration.from, to: message.recipients,
            subject: message.subject ?? message.topic?.rawValue ?? "Notification", body: message.body, date: now(),
            messageID: "<\(message.deliveryID).\(message.attempt).\(UInt32.random(in: 0...UInt32.max))@\(domain)>")
        let configuration = configuration
        let scrubber = SecretScrubber(secrets)
        return await withCheckedContinuation { continuation in
            do {
                try DedicatedThread.start(name: "herald-smtp") {
                    let outcome = Self.converse(email, configuration: configuration)
                    continuation.resume(returning: Self.scrubbed(outcome, scrubber))
                }
            } catch {
                continuation.resume(returning: .retry(reason: "SMTP conversation not started: \(error)"))
            }
        }
    }

    /// The password and the AUTH tokens made from it, which must never appear in a reason.
    private var secrets: [String] {
        guard let password = configuration.password else { return [] }
        let user = configuration.username ?? ""
        return [
            password, Data(password.utf8).base64EncodedString(),
            Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString(),
        ]
    }

    private static func scrubbed(_ outcome: DeliveryOutcome, _ scrubber: SecretScrubber) -> DeliveryOutcome {
        switch outcome {
        case .sent: .sent
        case .retry(let reason): .retry(reason: scrubber.scrub(reason))
        case .failed(let reason): .failed(reason: scrubber.scrub(reason))
        case .rateLimited(let after, let reason): .rateLimited(retryAfter: after, reason: scrubber.scrub(reason))
        }
    }

    private var domain: String {
        configuration.from.split(separator: "@").last.map(String.init) ?? "herald.invalid"
    }

    /// The whole SMTP dialogue for one message; blocking, on the caller's (dedicated) thread.
    static func converse(_ email: EmailMessage, configuration: Configuration) -> DeliveryOutcome {
        let connection: SMTPConnection
        do {
            connection = try SMTPConnection(host: configuration.host, port: configuration.port, timeout: configuration.timeout)
        } catch {
            return .retry(reason: "SMTP server unreachable: \(error)")
        }
        do {
            let greeting = try connection.readReply()
            guard greeting.code == 220 else { throw SMTPReplyError(command: "greeting", reply: greeting) }
            var extensions: Set<String> = []
            do {
                let reply = try connection.command("EHLO \(configuration.heloName)")
                extensions = Set(reply.lines.dropFirst().map { $0.uppercased() })
            } catch let error as SMTPReplyError where error.reply.code >= 500 {
                try connection.command("HELO \(configuration.heloName)")
            }
            if let username = configuration.username, let password = configuration.password {
                try authenticate(connection, username: username, password: password, extensions: extensions)
            }
            let eightBit = extensions.contains("8BITMIME")
            try connection.command("MAIL FROM:<\(email.from)>" + (eightBit ? " BODY=8BITMIME" : ""))
            for recipient in email.to { try connection.command("RCPT TO:<\(recipient)>") }
            try connection.command("DATA", expect: 354...354)
            try connection.write(email.data(eightBitAllowed: eightBit))
            let accepted = try connection.readReply()
            guard accepted.code == 250 else { throw SMTPReplyError(command: "end of data", reply: accepted) }
            connection.quit()
            return .sent
        } catch let error as SMTPReplyError {
            connection.quit()
            return error.reply.code >= 500 ? .failed(reason: "\(error)") : .retry(reason: "\(error)")
        } catch {
            return .retry(reason: "SMTP connection failed: \(error)")
        }
    }

    private static func authenticate(
        _ connection: SMTPConnection, username: String, password: String, extensions: Set<String>
    ) throws {
        let mechanisms = extensions.first { $0.hasPrefix("AUTH") }?.split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try connection.command("AUTH PLAIN \(token)", expect: 235...235, logAs: "AUTH PLAIN")
        } else {
            try connection.command("AUTH LOGIN", expect: 334...334)
            try connection.command(Data(username.utf8).base64EncodedString(), expect: 334...334, logAs: "AUTH LOGIN user")
            try connection.command(Data(password.utf8).base64EncodedString(), expect: 235...235, logAs: "AUTH LOGIN password")
        }
    }
}
