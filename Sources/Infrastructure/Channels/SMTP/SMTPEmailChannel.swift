public import Foundation
public import HeraldApplication
public import HeraldDomain
import HeraldSockets

/// Sends email over SMTP (RFC 5321) with Herald's own client: greeting, `EHLO` (falling back to
/// `HELO`), optional `AUTH PLAIN`/`LOGIN`, `MAIL FROM`, one `RCPT TO` per recipient, `DATA`, `QUIT`.
/// `250` after the data is sent; a `5xx` reply failed; `4xx` replies and network errors retried.
/// Addresses outside ``AddressRules`` (the from address or any recipient) fail the delivery before a
/// connection is opened, so nothing but a bare mailbox ever reaches `MAIL FROM` or `RCPT TO`.
/// The conversation is an ``SMTPDialogue`` driven on one of the shared event loops (``SMTPSession``): no
/// thread per message, and nothing on the cooperative pool. There is no TLS
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
        let dialogue = SMTPDialogue(
            email: email, heloName: configuration.heloName, username: configuration.username,
            password: configuration.password)
        let loop: EventLoop
        do {
            loop = try EventLoopGroup.shared().next()
        } catch {
            return .retry(reason: "SMTP conversation not started: \(error)")
        }
        let (host, port, deadline) = (configuration.host, configuration.port, ContinuousClock.now + configuration.timeout)
        return await withCheckedContinuation { continuation in
            loop.execute {
                SMTPSession(loop: loop, host: host, port: port, deadline: deadline, dialogue: dialogue) { outcome in
                    continuation.resume(returning: outcome)
                }.start()
            }
        }
    }

    private var domain: String {
        configuration.from.split(separator: "@").last.map(String.init) ?? "herald.invalid"
    }
}
