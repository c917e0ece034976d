import Foundation
@testable import HeraldChannels
import HeraldDomain
import HeraldSockets
import Testing

/// The SMTP dialogue without sockets: scripted servers, replies split at every byte, random garbage, and
/// random replies at every step checked against what each step must accept.
@Suite struct SMTPDialogueTests {
    static let plainToken = Data("\u{0}herald\u{0}pa55".utf8).base64EncodedString()

    @Test func aMessageGoesThroughEveryStepAndEndsWithQUIT() {
        let run = ScriptedRun.run(.test(recipients: ["ana@example.com", "ops@example.com"]), against: ScriptedSMTPServer())
        #expect(run.outcome == .sent && run.outcomes == 1 && run.closed)
        #expect(Array(run.sent.prefix(5)) == [
            "EHLO herald.test\r\n", "MAIL FROM:<herald@example.com> BODY=8BITMIME\r\n", "RCPT TO:<ana@example.com>\r\n",
            "RCPT TO:<ops@example.com>\r\n", "DATA\r\n",
        ])
        #expect(run.sent[5].hasPrefix("From: herald@example.com\r\n"))
        #expect(run.sent[5].hasSuffix("\r\n\r\nHi\r\n..hidden\r\n.\r\n"))
        #expect(run.sent.last == "QUIT\r\n" && run.sent.count == 7)
    }

    @Test func everyByteSplitOfTheRepliesGivesTheSameConversation() {
        let scripts: [[ScriptedSMTPServer.Step: [String]]] = [
            [:],
            [.ehlo: ["502-5.5.1 not here\r\n502 5.5.1 try HELO"]],
            [.rcpt: ["250 ok", "451-4.7.1 greylisted\r\n451 4.7.1 try later"]],
            [.end: ["554 5.6.0 rejected"]],
        ]
        for script in scripts {
            let dialogue = SMTPDialogue.test(recipients: ["a@example.com", "b@example.com"], username: "herald", password: "pa55")
            let whole = ScriptedRun.run(dialogue, against: ScriptedSMTPServer(script))
            let byByte = ScriptedRun.run(dialogue, against: ScriptedSMTPServer(script)) { bytes in bytes.indices.map { bytes[$0...$0] } }
            #expect(byByte == whole, "\(script)")
            for cut in 0..<48 {
                let split = ScriptedRun.run(dialogue, against: ScriptedSMTPServer(script)) { bytes in
                    let at = bytes.startIndex + min(cut, bytes.count)
                    return [bytes[..<at], bytes[at...]]
                }
                #expect(split == whole, "\(script), cut at \(cut)")
            }
        }
    }

    @Test func repliesThatArriveTogetherAreAnsweredInTurn() {
        var dialogue = SMTPDialogue.test()
        let actions = dialogue.receive(Array("220 hi\r\n250 ok\r\n".utf8))
        #expect(actions == [.send(Array("EHLO herald.test\r\n".utf8)), .send(Array("MAIL FROM:<herald@example.com>\r\n".utf8))])
    }

    @Test func aRejectedEHLOFallsBackToHELOWithoutExtensions() {
        let run = ScriptedRun.run(
            .test(username: "herald", password: "pa55"), against: ScriptedSMTPServer([.ehlo: ["500 what"]]))
        #expect(run.outcome == .sent)
        #expect(Array(run.sent.prefix(4)) == [
            "EHLO herald.test\r\n", "HELO herald.test\r\n", "AUTH PLAIN \(Self.plainToken)\r\n",
            "MAIL FROM:<herald@example.com>\r\n",
        ])
    }

    @Test func aTransientEHLOReplyRetriesWithoutHELO() {
        let run = ScriptedRun.run(.test(), against: ScriptedSMTPServer([.ehlo: ["421 4.3.2 shutting down"]]))
        #expect(run.outcome == .retry(reason: "SMTP 421 after EHLO herald.test: 4.3.2 shutting down"))
        #expect(run.sent == ["EHLO herald.test\r\n", "QUIT\r\n"])
    }

    @Test(arguments: [
        (["AUTH PLAIN LOGIN"], "plain"), (["AUTH LOGIN"], "login"), (["AUTH CRAM-MD5"], "plain"), ([], "plain"),
        (["AUTH LOGIN", "AUTH PLAIN"], "login"),
    ])
    func authUsesLOGINOnlyWhenOfferedWithoutPLAIN(offered: [String], mechanism: String) {
        var server = ScriptedSMTPServer()
        server.extensions = offered
        let run = ScriptedRun.run(.test(username: "herald", password: "pa55"), against: server)
        #expect(run.outcome == .sent)
        let auth = run.sent.dropFirst().prefix { !$0.hasPrefix("MAIL") }
        if mechanism == "plain" {
            #expect(Array(auth) == ["AUTH PLAIN \(Self.plainToken)\r\n"])
        } else {
            #expect(Array(auth) == ["AUTH LOGIN\r\n", "aGVyYWxk\r\n", "cGE1NQ==\r\n"])
        }
    }

    @Test func reasonsNameAuthStepsAndNeverHoldTheSecrets() {
        let echo = "535 5.7.8 bad credentials \(Self.plainToken) pa55 cGE1NQ=="
        let plain = ScriptedRun.run(.test(username: "herald", password: "pa55"), against: ScriptedSMTPServer([.authPlain: [echo]]))
        #expect(plain.outcome == .failed(reason: "SMTP 535 after AUTH PLAIN: 5.7.8 bad credentials *** *** ***"))
        var server = ScriptedSMTPServer([.authPassword: [echo]])
        server.extensions = ["AUTH LOGIN"]
        let login = ScriptedRun.run(.test(username: "herald", password: "pa55"), against: server)
        #expect(login.outcome == .failed(reason: "SMTP 535 after AUTH LOGIN password: 5.7.8 bad credentials *** *** ***"))
    }

    @Test func aLostConnectionRetriesUnlessTheOutcomeWasKnown() {
        var dialogue = SMTPDialogue.test()
        _ = dialogue.receive(Array("220 hi\r\n".utf8))
        let reset = SocketError("recv", errno: 104, detail: "the server closed the connection")
        guard case .retry(let reason) = dialogue.connectionEnded(reset) else { Issue.record("must retry"); return }
        #expect(reason.hasPrefix("SMTP connection failed: recv failed: "))
        #expect(dialogue.receive(Array("250 ok\r\n".utf8)).isEmpty)

        var finished = SMTPDialogue.test()
        let actions = finished.receive(Array("554 no\r\n".utf8))
        #expect(actions == [.finish(.failed(reason: "SMTP 554 after greeting: no")), .send(SMTPDialogue.quit)])
        #expect(finished.connectionEnded(reset) == nil)
    }

    @Test func aMalformedReplyRetriesAndStillSaysQUIT() {
        var dialogue = SMTPDialogue.test()
        let actions = dialogue.receive(Array("220 hi\r\nnonsense\r\n".utf8))
        #expect(actions == [
            .send(Array("EHLO herald.test\r\n".utf8)),
            .finish(.retry(reason: "SMTP 0 after read: malformed reply: nonsense")), .send(SMTPDialogue.quit),
        ])
        #expect(dialogue.receive(Array("more nonsense\r\n".utf8)) == [.close])
    }

    @Test func randomGarbageEndsInOneRetryOrFailureWithoutACrash() {
        var generator = SeededGenerator(state: 0x5EED_5A17)
        let alphabet = Array("0123456789 -\r\n2345abc".utf8)
        for round in 0..<2000 {
            var dialogue = SMTPDialogue.test(username: "herald", password: "pa55")
            let prefix = round % 2 == 0 ? Array("220 hi\r\n".utf8) : []
            let garbage = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            var outcomes: [DeliveryOutcome] = []
            var rest = (prefix + garbage)[...]
            while !rest.isEmpty {
                let count = Int.random(in: 1...max(1, rest.count), using: &generator)
                for action in dialogue.receive(rest.prefix(count)) {
                    if case .finish(let outcome) = action { outcomes.append(outcome) }
                }
                rest = rest.dropFirst(count)
            }
            if let ended = dialogue.connectionEnded(SocketError("recv", errno: 104)) { outcomes.append(ended) }
            #expect(outcomes.count == 1, "round \(round)")
            #expect(outcomes.allSatisfy { $0 != .sent }, "round \(round)")
        }
    }

    /// Random scripted servers: at each step a normal reply or a random code (multi-line or not), and the
    /// outcome, the commands sent and the reason checked against what each step accepts.
    @Test func randomRepliesAtEveryStepAreClassifiedByWhatTheStepAccepts() {
        var generator = SeededGenerator(state: 0xC0FFEE)
        for round in 0..<3000 {
            let scenario = RandomScenario(using: &generator)
            let run = ScriptedRun.run(scenario.dialogue, against: scenario.server) { bytes in
                var chunks: [ArraySlice<UInt8>] = []
                var rest = bytes
                while !rest.isEmpty {
                    let count = Int.random(in: 1...8, using: &generator)
                    chunks.append(rest.prefix(count))
                    rest = rest.dropFirst(count)
                }
                return chunks
            }
            #expect(run.outcome == scenario.expectedOutcome, "round \(round)")
            #expect(run.sent == scenario.expectedSent, "round \(round)")
            #expect(run.outcomes == 1 && run.closed, "round \(round)")
        }
    }
}

/// One random server and, worked out step by step, what the dialogue must send and conclude against it.
struct RandomScenario {
    var dialogue: SMTPDialogue
    var server = ScriptedSMTPServer()
    var expectedSent: [String] = []
    var expectedOutcome: DeliveryOutcome = .sent

    init(using generator: inout SeededGenerator) {
        let withAuth = Bool.random(using: &generator)
        let recipients = (0..<Int.random(in: 1...3, using: &generator)).map { "r\($0)@example.com" }
        dialogue = .test(recipients: recipients, username: withAuth ? "herald" : nil, password: withAuth ? "pa55" : nil)
        server.extensions = [["8BITMIME"], ["AUTH LOGIN"], ["AUTH PLAIN"], ["SIZE 1"], ["AUTH LOGIN PLAIN"]]
            .filter { _ in Bool.random(using: &generator) }.flatMap { $0 }
        _ = play(withAuth: withAuth, recipients: recipients, using: &generator)
        expectedSent.append("QUIT\r\n")
    }

    /// Walks the steps, scripting each reply; false at the first reply its step does not accept.
    private mutating func play(withAuth: Bool, recipients: [String], using generator: inout SeededGenerator) -> Bool {
        guard step(.greeting, accepting: 220...220, label: "greeting", using: &generator) else { return false }
        var extensions = server.extensions
        let ehlo = "EHLO herald.test"
        expectedSent.append(ehlo + "\r\n")
        let ehloCode = code(normal: 250, using: &generator)
        if (200...299).contains(ehloCode) {
            server.replies[.ehlo] = [
                (["test.local"] + extensions).enumerated().map { index, line in
                    "\(ehloCode)\(index == extensions.count ? " " : "-")\(line)"
                }.joined(separator: "\r\n")
            ]
        } else {
            let (reply, text) = Self.reply(code: ehloCode, using: &generator)
            server.replies[.ehlo] = [reply]
            guard ehloCode >= 500 else { return conclude(code: ehloCode, label: ehlo, text: text) }
            extensions = []
            expectedSent.append("HELO herald.test\r\n")
            guard step(.helo, accepting: 200...299, label: "HELO herald.test", using: &generator) else { return false }
        }
        if withAuth {
            let mechanisms = extensions.first { $0.hasPrefix("AUTH") }?.split(separator: " ") ?? []
            if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
                expectedSent.append("AUTH PLAIN \(SMTPDialogueTests.plainToken)\r\n")
                guard step(.authPlain, accepting: 235...235, label: "AUTH PLAIN", using: &generator) else { return false }
            } else {
                expectedSent.append("AUTH LOGIN\r\n")
                guard step(.authLogin, accepting: 334...334, label: "AUTH LOGIN", using: &generator) else { return false }
                expectedSent.append("aGVyYWxk\r\n")
                guard step(.authUser, accepting: 334...334, label: "AUTH LOGIN user", using: &generator) else { return false }
                expectedSent.append("cGE1NQ==\r\n")
                guard step(.authPassword, accepting: 235...235, label: "AUTH LOGIN password", using: &generator) else {
                    return false
                }
            }
        }
        let eightBit = extensions.contains("8BITMIME")
        let mail = "MAIL FROM:<herald@example.com>" + (eightBit ? " BODY=8BITMIME" : "")
        expectedSent.append(mail + "\r\n")
        guard step(.mail, accepting: 200...299, label: mail, using: &generator) else { return false }
        for recipient in recipients {
            expectedSent.append("RCPT TO:<\(recipient)>\r\n")
            guard step(.rcpt, accepting: 200...299, label: "RCPT TO:<\(recipient)>", using: &generator) else { return false }
        }
        expectedSent.append("DATA\r\n")
        guard step(.data, accepting: 354...354, label: "DATA", using: &generator) else { return false }
        let email = EmailMessage(
            from: "herald@example.com", to: recipients, subject: "Hello", body: "Hi\n.hidden",
            date: Date(timeIntervalSince1970: 1_800_000_000), messageID: "<id@example.com>")
        expectedSent.append(String(decoding: email.data(eightBitAllowed: eightBit), as: UTF8.self))
        guard step(.end, accepting: 250...250, label: "end of data", using: &generator) else { return false }
        expectedOutcome = .sent
        return true
    }

    /// Scripts one reply for `step` (the step's usual code most of the time); false, with the expected
    /// outcome set, when `accepting` does not hold it.
    private mutating func step(
        _ step: ScriptedSMTPServer.Step, accepting: ClosedRange<Int>, label: String, using generator: inout SeededGenerator
    ) -> Bool {
        let code = code(normal: accepting.lowerBound == 200 ? 250 : accepting.lowerBound, using: &generator)
        let (reply, text) = Self.reply(code: code, using: &generator)
        server.replies[step, default: []].append(reply)
        return accepting.contains(code) || conclude(code: code, label: label, text: text)
    }

    private mutating func conclude(code: Int, label: String, text: String) -> Bool {
        let reason = "SMTP \(code) after \(label): \(text.prefix(300))"
        expectedOutcome = code >= 500 ? .failed(reason: reason) : .retry(reason: reason)
        return false
    }

    private func code(normal: Int, using generator: inout SeededGenerator) -> Int {
        Int.random(in: 0..<10, using: &generator) < 7 ? normal : Int.random(in: 100...599, using: &generator)
    }

    /// A reply of one to three lines with `code`, and its text as reasons quote it.
    private static func reply(code: Int, using generator: inout SeededGenerator) -> (reply: String, text: String) {
        let lines = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in "w\(Int.random(in: 0...999, using: &generator))" }
                .joined(separator: " ")
        }
        let reply = lines.enumerated().map { index, line in
            "\(code)\(index == lines.count - 1 ? " " : "-")\(line)"
        }.joined(separator: "\r\n")
        return (reply, lines.joined(separator: " "))
    }
}
