public import Foundation
public import HeraldApplication
public import HeraldDomain
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends SMS through Twilio: `POST {base_url}/2010-04-01/Accounts/{sid}/Messages.json`, form fields `To`,
/// `From`, `Body`, HTTP Basic `sid:token`. `201` is sent; `429` rate limited; `5xx` retried; other `4xx`
/// failed with Twilio's code and message (`21610`: the recipient opted out).
public struct TwilioChannel: NotificationChannel, CustomStringConvertible {
    private let accountSID: String
    private let authToken: String
    private let from: String
    private let endpoint: URL
    private let transport: HTTPTransport
    private let scrubber: SecretScrubber

    /// - Parameter timeout: how long one request may take, connecting included.
    public init(accountSID: String, authToken: String, from: String, baseURL: URL, timeout: Duration = .seconds(10)) {
        self.init(
            accountSID: accountSID, authToken: authToken, from: from, baseURL: baseURL,
            transport: HTTPTransport(timeout: timeout))
    }

    package init(accountSID: String, authToken: String, from: String, baseURL: URL, transport: HTTPTransport) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
        self.endpoint = baseURL.appendingPathComponent("2010-04-01/Accounts/\(accountSID)/Messages.json")
        self.transport = transport
        self.scrubber = SecretScrubber([authToken, Data("\(accountSID):\(authToken)".utf8).base64EncodedString()])
    }

    public var description: String { "TwilioChannel(account: \(accountSID), from: \(from), authToken: ***)" }

    /// Sends one message per recipient; the first answer that is not `201` decides the outcome. Herald gives
    /// every SMS recipient a delivery of its own, so from a worker `message.recipients` holds one number and a
    /// retry never repeats the message to anyone who already got it.
    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let text = [message.subject, message.body].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
        return try await EachRecipient.send(message.recipients) { recipient in
            var request = URLRequest(url: endpoint)
            request.httpMethod = "POST"
            let credentials = Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
            request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(FormEncoding.encode([("To", recipient), ("From", from), ("Body", text)]).utf8)
            return try await transport.deliver(
                request, provider: "Twilio", accepted: [201], scrubbing: scrubber, reason: Self.errorMessage)
        }
    }

    /// `Twilio error 21610: <message> (the recipient opted out ...)`, or the body text.
    static func errorMessage(_ response: ProviderResponse) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            return response.bodyText()
        }
        let code = (object["code"] as? Int).map(String.init) ?? "unknown"
        var text = "Twilio error \(code): \(object["message"] as? String ?? response.bodyText())"
        if code == "21610" { text += " (the recipient opted out: they replied STOP to this sender)" }
        return text
    }
}

/// `application/x-www-form-urlencoded` with every byte but the unreserved ones percent-encoded, so `+`
/// becomes `%2B` (a literal plus in a phone number) and non-ASCII text is UTF-8 percent-encoded.
package enum FormEncoding {
    package static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    package static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }
}
