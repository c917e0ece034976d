import Foundation
import HeraldApplication
import HeraldChannels
import HeraldDomain
import HeraldTestSupport
import Testing

@Suite(.serialized) struct SMTPEmailChannelTests {
    private static let fixedDate = Date(timeIntervalSince1970: 1_800_000_000)

    private func channel(_ server: SMTPRecorder, username: String? = nil, insecure: Bool = false) -> SMTPEmailChannel {
        SMTPEmailChannel(
            configuration: SMTPEmailChannel.Configuration(
                host: "127.0.0.1", port: server.port, from: "herald@example.com", heloName: "herald.test",
                username: username, password: username == nil ? nil : "pa55", allowInsecureAuth: insecure,
                timeout: .seconds(5)),
            now: { Self.fixedDate })
    }

    private func message(_ body: String, subject: String? = "Hello", to: [String] = ["ana@example.com"]) -> OutgoingMessage {
        OutgoingMessage(
            deliveryID: DeliveryID(notificationID: "ntf_abc", channel: "email"), topic: "pricing", subject: subject,
            body: body, recipients: to)
    }

    /// The headers of a raw message, unfolded, by lower-cased name.
    private func headers(_ email: RecordedEmail) -> [String: String] {
        let head = email.text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    private func body(_ email: RecordedEmail) -> String {
        email.text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func speaksTheSMTPDialogueWithRFC5322Headers() async throws {
        let server = try await SMTPRecorder.start()
        let outcome = try await channel(server).send(message("Hi Ana,\nprices change on Monday.", to: ["ana@example.com", "ops@example.com"]))
        #expect(outcome == .sent)
        let email = try #require(try await server.messages().first)
        #expect(email.helo == "herald.test")
        #expect(email.mailFrom == "FROM:<herald@example.com> BODY=8BITMIME")
        #expect(email.recipients == ["TO:<ana@example.com>", "TO:<ops@example.com>"])
        let headers = headers(email)
        #expect(headers["from"] == "herald@example.com")
        #expect(headers["to"] == "ana@example.com, ops@example.com")
        #expect(headers["subject"] == "Hello")
        #expect(headers["date"] == "Fri, 15 Jan 2027 08:00:00 +0000")
        #expect(headers["message-id"]?.hasPrefix("<ntf_abc.email.1.") == true)
        #expect(headers["message-id"]?.hasSuffix("@example.com>") == true)
        #expect(headers["mime-version"] == "1.0")
        #expect(headers["content-type"] == "text/plain; charset=utf-8")
        #expect(body(email) == "Hi Ana,\r\nprices change on Monday.\r\n")
        #expect(email.text.contains("\r\n") && !email.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test(.timeLimit(.minutes(1)))
    func dotStuffsLinesStartingWithADot() async throws {
        let server = try await SMTPRecorder.start()
        #expect(try await channel(server).send(message("first\n.\n.hidden\nlast")) == .sent)
        let email = try #require(try await server.messages().first)
        #expect(body(email) == "first\r\n..\r\n..hidden\r\nlast\r\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func encodesNonASCIISubjectsAsEncodedWordsAndUses8BitWhenOffered() async throws {
        let server = try await SMTPRecorder.start()
        let subject = "Prices 📈 for Zoë — " + String(repeating: "ü", count: 40)
        #expect(try await channel(server).send(message("Grüße", subject: subject)) == .sent)
        let email = try #require(try await server.messages().first)
        let rawSubject = try #require(email.text.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject:") })
        #expect(rawSubject.hasPrefix("Subject: =?UTF-8?B?"))
        let words = headers(email)["subject"]!.split(separator: " ")
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
        #expect(email.text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 || !$0.hasPrefix(" =?") })
        #expect(headers(email)["content-transfer-encoding"] == "8bit")
        #expect(body(email) == "Grüße\r\n")
    }

    @Test(.timeLimit(.minutes(1)))
    func usesQuotedPrintableWithout8BitMIMEAndForLongLines() async throws {
        let server = try await SMTPRecorder.start()
        try await server.configure(eightBit: false)
        #expect(try await channel(server).send(message("Grüße = hi")) == .sent)
        let long = String(repeating: "x", count: 10_000)
        try await server.configure(eightBit: true)
        #expect(try await channel(server).send(message(long)) == .sent)
        let emails = try await server.messages()
        #expect(emails.count == 2)
        #expect(emails[0].mailFrom == "FROM:<herald@example.com>")
        #expect(headers(emails[0])["content-transfer-encoding"] == "quoted-printable")
        #expect(body(emails[0]) == "Gr=C3=BC=C3=9Fe =3D hi\r\n")
        #expect(headers(emails[1])["content-transfer-encoding"] == "quoted-printable")
        let lines = body(emails[1]).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 }.joined() == long)
    }

    @Test(.timeLimit(.minutes(1)))
    func classifiesReplies() async throws {
        let server = try await SMTPRecorder.start()
        try await server.script(["RCPT": ["451 4.7.1 greylisted, try later"], "MAIL": ["250 ok", "550 5.7.1 relaying denied"]])
        let smtp = channel(server)
        #expect(try await smtp.send(message("m")) == .retry(reason: "SMTP 451 after RCPT TO:<ana@example.com>: 4.7.1 greylisted, try later"))
        #expect(try await smtp.send(message("m")) == .failed(reason: "SMTP 550 after MAIL FROM:<herald@example.com> BODY=8BITMIME: 5.7.1 relaying denied"))
        try await server.script(["END": ["554 5.6.0 message rejected"]])
        guard case .failed = try await smtp.send(message("m")) else { Issue.record("554 after data must fail"); return }
        try await server.script(["GREETING": ["421 too busy"]])
        guard case .retry = try await smtp.send(message("m")) else { Issue.record("421 greeting must retry"); return }
        #expect(try await server.messages().isEmpty)
        let closed = SMTPEmailChannel(configuration: .init(host: "127.0.0.1", port: try freeLoopbackPort(), from: "h@example.com"))
        guard case .retry = try await closed.send(message("m")) else { Issue.record("refused connection must retry"); return }
    }

    @Test(.timeLimit(.minutes(1)))
    func fallsBackToHELOAndAuthenticatesWithLOGINWhenPLAINIsNotOffered() async throws {
        let server = try await SMTPRecorder.start()
        try await server.script(["EHLO": ["502 5.5.1 EHLO not implemented"]])
        #expect(try await channel(server).send(message("m")) == .sent)
        let plain = try #require(try await server.messages().first)
        #expect(plain.helo == "herald.test")
        #expect(plain.mailFrom == "FROM:<herald@example.com>")
        #expect(headers(plain)["content-transfer-encoding"] == "7bit")

        try await server.script(["EHLO": ["250-test.local\r\n250-AUTH LOGIN\r\n250 8BITMIME"]])
        #expect(try await channel(server, username: "herald", insecure: true).send(message("m")) == .sent)
        #expect(try await server.messages().last?.auth == "LOGIN herald pa55")
    }

    @Test(.timeLimit(.minutes(1)))
    func headerInjectionNeverReachesTheServer() async throws {
        let server = try await SMTPRecorder.start()
        let smtp = channel(server)
        guard case .failed = try await smtp.send(message("m", subject: "Hi\r\nBcc: everyone@example.com")) else {
            Issue.record("a CRLF subject must be refused"); return
        }
        guard case .failed = try await smtp.send(message("m", to: ["ana@example.com>\r\nRCPT TO:<x@evil.example"])) else {
            Issue.record("a CRLF address must be refused"); return
        }
        #expect(try await server.connectionCount() == 0)
    }

    /// The raw `Subject:` header: its first line and every continuation line after it, CRLFs kept.
    private func rawSubject(_ email: RecordedEmail) throws -> [String] {
        let head = email.text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        let start = try #require(head.firstIndex { $0.hasPrefix("Subject: ") })
        let end = head[(start + 1)...].firstIndex { !$0.hasPrefix(" ") } ?? head.endIndex
        return Array(head[start..<end])
    }

    @Test(.timeLimit(.minutes(1)))
    func foldsLongASCIISubjectsAtSpacesSoTheyUnfoldToTheOriginal() async throws {
        let server = try await SMTPRecorder.start()
        let words = (1...40).map { "word\($0)" }
        let subject = " Quarterly  report:   " + words.joined(separator: " ") + "  and  " + words.reversed().joined(separator: "  ")
        #expect(subject.count >= 300)
        #expect(try await channel(server).send(message("m", subject: subject)) == .sent)
        let lines = try rawSubject(try #require(try await server.messages().first))
        #expect(lines.count > 4)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.map(\.count))")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.contains { $0 != " " } })
        #expect(String(lines.joined().dropFirst("Subject: ".count)) == subject)
    }

    @Test(.timeLimit(.minutes(1)))
    func sendsAnASCIISubjectWithAWordTooLongForALineAsEncodedWords() async throws {
        let server = try await SMTPRecorder.start()
        let subject = "See https://example.com/" + String(repeating: "a1b2", count: 30) + " now"
        #expect(try await channel(server).send(message("m", subject: subject)) == .sent)
        let lines = try rawSubject(try #require(try await server.messages().first))
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.map(\.count))")
        let decoded = lines.joined(separator: " ").dropFirst("Subject: ".count).split(separator: " ").map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
    }

    @Test(.timeLimit(.minutes(1)))
    func aCharacterOfManyCombiningMarksNeverMakesASubjectLineTooLong() async throws {
        let server = try await SMTPRecorder.start()
        let subject = "e" + String(repeating: "\u{0301}", count: 400)
        #expect(try await channel(server).send(message("m", subject: subject)) == .sent)
        let lines = try rawSubject(try #require(try await server.messages().first))
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.map(\.count))")
        #expect(!lines.contains { $0.contains("=?UTF-8?B??=") })
        let bytes = lines.joined(separator: " ").dropFirst("Subject: ".count).split(separator: " ").flatMap { word -> [UInt8] in
            Array(Data(base64Encoded: String(word.dropFirst("=?UTF-8?B?".count).dropLast(2))) ?? Data())
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        ["a@x>,<b@y"], ["ana@example.com", "b@y> NOTIFY=NEVER"], ["\"a>b\"@example.com"], ["ana@example.com;b@y"], ["ana"],
    ])
    func refusesRecipientsThatAreNotMailboxesBeforeConnecting(recipients: [String]) async throws {
        let server = try await SMTPRecorder.start()
        let outcome = try await channel(server).send(message("m", to: recipients))
        guard case .failed(let reason) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(reason.contains("must be an email address"))
        #expect(try await server.connectionCount() == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func refusesAFromAddressThatIsNotAMailboxBeforeConnecting() async throws {
        let server = try await SMTPRecorder.start()
        let smtp = SMTPEmailChannel(
            configuration: SMTPEmailChannel.Configuration(host: "127.0.0.1", port: server.port, from: "herald@x>,<b@y"))
        guard case .failed = try await smtp.send(message("m")) else { Issue.record("an invalid from must fail"); return }
        #expect(try await server.connectionCount() == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func authenticatesOnlyWhenAllowedOverClearText() async throws {
        let server = try await SMTPRecorder.start()
        #expect(try await channel(server, username: "herald", insecure: true).send(message("m")) == .sent)
        #expect(try await server.messages().first?.auth == "\u{0}herald\u{0}pa55")
        guard case .failed(let reason) = try await channel(server, username: "herald", insecure: false).send(message("m")) else {
            Issue.record("clear-text AUTH must be refused"); return
        }
        #expect(reason.contains("allow_insecure_auth"))
        #expect(!"\(channel(server, username: "herald", insecure: true))".contains("pa55"))
    }
}
