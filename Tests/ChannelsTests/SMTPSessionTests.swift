import Foundation
import HeraldApplication
import HeraldChannels
import HeraldDomain
import HeraldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SMTP dialogue driven on the event loop against real sockets: the one deadline bounds a server
/// that never speaks and a host name that never resolves; names are looked up and every address tried;
/// many messages share the loop at once.
@Suite(.serialized) struct SMTPSessionTests {
    private func message(_ body: String = "m") -> OutgoingMessage {
        OutgoingMessage(
            deliveryID: DeliveryID(notificationID: "ntf_abc", channel: "email"), topic: nil, subject: "Hi", body: body,
            recipients: ["ana@example.com"])
    }

    private func channel(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) -> SMTPEmailChannel {
        SMTPEmailChannel(configuration: .init(host: host, port: port, from: "herald@example.com", timeout: timeout))
    }

    @Test(.timeLimit(.minutes(1)))
    func aServerThatAcceptsButNeverSpeaksIsARetryAtTheDeadline() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let outcome = try await channel(port: listener.port, timeout: .milliseconds(300)).send(message())
        #expect(outcome == .retry(
            reason: "SMTP connection failed: poll failed: \(String(cString: strerror(ETIMEDOUT))) (errno \(ETIMEDOUT)): "
                + "the SMTP conversation took too long"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aHostNameIsLookedUpAndEachOfItsAddressesTried() async throws {
        let server = try await SMTPRecorder.start()
        // localhost may resolve to ::1 first, where nothing listens: the next address (127.0.0.1) is tried.
        #expect(try await channel(host: "localhost", port: server.port).send(message()) == .sent)
        #expect(try await channel(host: "localhost", port: server.port).send(message()) == .sent)
        #expect(try await server.messages().count == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func aHostNameThatDoesNotResolveIsUnreachable() async throws {
        let outcome = try await channel(host: "no-such-host.invalid", port: 25, timeout: .seconds(3)).send(message())
        guard case .retry(let reason) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(reason.hasPrefix("SMTP server unreachable: getaddrinfo failed: "), "\(reason)")
        #expect(reason.contains("no-such-host.invalid"), "\(reason)")
    }

    @Test(.timeLimit(.minutes(1)))
    func manyMessagesAtOnceAreEachDeliveredOnce() async throws {
        let server = try await SMTPRecorder.start()
        let smtp = channel(port: server.port, timeout: .seconds(20))
        // Five: the test server's listen backlog; more would wait on the kernel's SYN retransmissions.
        let outcomes = try await withThrowingTaskGroup(of: DeliveryOutcome.self) { group in
            for index in 0..<5 { group.addTask { try await smtp.send(message("message \(index)")) } }
            return try await group.reduce(into: [DeliveryOutcome]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .sent, count: 5))
        let bodies = Set(try await server.messages().map { $0.text.components(separatedBy: "\r\n\r\n").last ?? "" })
        #expect(bodies == Set((0..<5).map { "message \($0)\r\n" }))
    }
}

/// A TCP socket on 127.0.0.1 that listens and never accepts: connections complete in the kernel's
/// backlog, and nothing is ever said on them.
private struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestServerError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw TestServerError("bind/listen failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
