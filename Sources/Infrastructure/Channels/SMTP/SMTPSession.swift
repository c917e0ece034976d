import HeraldDomain
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Carries one ``SMTPDialogue`` out on an event loop: finds the server's addresses, connects without
/// blocking, then feeds the dialogue what the server sends and writes what it answers, on a
/// ``LoopStream``. It holds no thread of its own.
///
/// One loop timer, set for `deadline`, bounds everything: the lookup, connecting (every address), the
/// conversation. `completion` is told the outcome once, as soon as it is known; after a decided outcome
/// the session only says `QUIT` and closes (on its answer, or at the deadline).
///
/// Everything here runs on the loop's thread.
final class SMTPSession: @unchecked Sendable {
    private enum Phase {
        case resolving, connecting(LoopConnector), conversing(LoopStream), ended
    }

    private let loop: EventLoop
    private let host: String
    private let port: Int
    private let deadline: ContinuousClock.Instant
    private var dialogue: SMTPDialogue
    private let resolver: SMTPHostResolver
    private var completion: ((DeliveryOutcome) -> Void)?
    private var phase = Phase.resolving
    private var timer: UInt64?

    init(
        loop: EventLoop, host: String, port: Int, deadline: ContinuousClock.Instant, dialogue: SMTPDialogue,
        resolver: SMTPHostResolver = .shared, completion: @escaping (DeliveryOutcome) -> Void
    ) {
        self.loop = loop
        self.host = host
        self.port = port
        self.deadline = deadline
        self.dialogue = dialogue
        self.resolver = resolver
        self.completion = completion
    }

    /// Starts the session (on the loop's thread).
    func start() {
        timer = loop.schedule(at: deadline) { [self] in
            timer = nil
            timedOut()
        }
        if let addresses = SocketAddress.numeric(host: host, port: port) { return connect(addresses) }
        let loop = loop
        resolver.resolve(host: host, port: port) { [self] result in
            loop.execute { [self] in resolved(result) }
        }
    }

    private func resolved(_ result: Result<[SocketAddress], SocketError>) {
        guard case .resolving = phase else { return }
        switch result {
        case .success(let addresses): connect(addresses)
        case .failure(let error): unreachable(error)
        }
    }

    private func connect(_ addresses: [SocketAddress]) {
        let connector = LoopConnector(loop: loop, addresses: addresses, detail: "\(host):\(port)") { [self] result in
            switch result {
            case .success(let socket): converse(on: socket)
            case .failure(let error): unreachable(error)
            }
        }
        phase = .connecting(connector)
        connector.start()
    }

    private func converse(on socket: TCPSocket) {
        let stream = LoopStream(loop: loop, socket: socket)
        stream.onBytes = { [self] bytes in perform(dialogue.receive(bytes)) }
        stream.onClosed = { [self] error in
            ended(error ?? SocketError("recv", errno: ECONNRESET, detail: "the server closed the connection"))
        }
        phase = .conversing(stream)
        do {
            try stream.start()
        } catch {
            socket.closeDescriptor()
            ended(error)
        }
    }

    private func perform(_ actions: [SMTPDialogue.Action]) {
        guard case .conversing(let stream) = phase else { return }
        for action in actions {
            switch action {
            case .send(let bytes): stream.write(bytes)
            case .finish(let outcome): report(outcome)
            case .close: stream.close()
            }
        }
    }

    private func timedOut() {
        switch phase {
        case .resolving:
            unreachable(SocketError("getaddrinfo", errno: ETIMEDOUT, detail: host))
        case .connecting(let connector):
            connector.cancel()
            unreachable(SocketError("connect", errno: ETIMEDOUT, detail: "\(host):\(port)"))
        case .conversing(let stream):
            // The deadline passes while the loop waits in epoll_wait: the reason keeps the wording of the
            // blocking client, whose poll timed out.
            let error = SocketError("poll", errno: ETIMEDOUT, detail: "the SMTP conversation took too long")
            if let outcome = dialogue.connectionEnded(error) { report(outcome) }
            stream.close()
        case .ended:
            break
        }
    }

    /// No connection was made: the outcome is a retry naming why.
    private func unreachable(_ error: SocketError) {
        report(.retry(reason: "SMTP server unreachable: \(error)"))
        end()
    }

    /// The connection ended: the outcome, if the dialogue had not decided it yet.
    private func ended(_ error: SocketError) {
        if let outcome = dialogue.connectionEnded(error) { report(outcome) }
        end()
    }

    private func report(_ outcome: DeliveryOutcome) {
        guard let completion else { return }
        self.completion = nil
        completion(outcome)
    }

    private func end() {
        phase = .ended
        if let timer { loop.cancelTimer(timer) }
        timer = nil
    }
}
