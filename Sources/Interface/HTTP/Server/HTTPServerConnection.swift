import HeraldSockets

/// Serves one TCP connection on an event loop: feeds what arrives to an ``HTTPRequestDecoder``, answers
/// the requests in order (pipelined ones too), and closes on `Connection: close`, errors, timeouts, server
/// shutdown, or when the server closes it as the oldest idle connection to admit a new client.
///
/// It holds no thread: between requests it costs this object, its decoder and its socket. While the
/// handler answers a request the connection stops reading (back-pressure), and it reads the next request
/// only once the answer has been handed to the kernel.
///
/// Timeouts follow the phase: ``HTTPServer/Configuration/firstByteTimeout`` until a new connection sends
/// its first byte, ``HTTPServer/Configuration/idleTimeout`` between keep-alive requests,
/// ``HTTPServer/Configuration/headerTimeout`` from a request's first byte to the end of its head, and
/// ``HTTPServer/Configuration/bodyTimeout`` for its body and for writing an answer. One loop timer per
/// connection serves them all: it is armed once and, when it fires early, re-armed for the current deadline.
///
/// Everything here runs on the connection's loop thread.
final class HTTPServerConnection: @unchecked Sendable {
    private enum Activity: Equatable {
        /// Reading requests (or waiting for one).
        case reading
        /// The handler is answering a request.
        case answering
        /// An answer is being written; the next request is read once it is out.
        case writing
        /// The last answer is being written; the connection closes once it is out.
        case closing
    }

    let id: HTTPConnectionTable<HTTPServerConnection>.ID
    let loop: EventLoop
    private let stream: LoopStream
    private let server: HTTPServer
    private var decoder: HTTPRequestDecoder
    private var activity = Activity.reading
    private var served = 0
    /// The phase and request count the current deadline was set for.
    private var settled: (phase: HTTPRequestDecoder.Phase, served: Int)?
    private var deadline: ContinuousClock.Instant?
    private var isTimerArmed = false
    private var timer: UInt64?

    private var configuration: HTTPServer.Configuration { server.configuration }

    init(id: HTTPConnectionTable<HTTPServerConnection>.ID, stream: LoopStream, server: HTTPServer) {
        self.id = id
        self.loop = stream.loop
        self.stream = stream
        self.server = server
        decoder = HTTPRequestDecoder(
            maxHeaderBytes: server.configuration.maxHeaderBytes, maxBodyBytes: server.configuration.maxBodyBytes)
    }

    /// Starts reading; false when the loop cannot take the socket (the caller answers and closes it).
    func start() -> Bool {
        stream.onBytes = { [self] bytes in received(bytes) }
        stream.onClosed = { [self] _ in closed() }
        stream.onDrained = { [self] in drained() }
        do {
            try stream.start()
        } catch {
            return false
        }
        settle()
        return true
    }

    /// Closes the connection: the server took it as the oldest idle one, or is shutting down.
    func close() {
        stream.close()
    }

    /// The server stopped accepting: an idle connection closes now, a busy one after its answer.
    func serverIsStopping() {
        if activity == .reading, decoder.phase == .awaitingRequest { stream.close() }
    }

    // MARK: - Reading

    private func received(_ bytes: UnsafeRawBufferPointer) {
        decoder.feed(bytes)
        serveDecodedRequests()
    }

    private func serveDecodedRequests() {
        while activity == .reading, !stream.isClosed {
            let output: HTTPRequestDecoder.Output?
            do {
                output = try decoder.next()
            } catch {
                return reject(error)
            }
            guard let output else { break }
            switch output {
            case .head(let head, _):
                answerExpectation(of: head)
            case .request(let head, let body):
                guard server.connectionIsBusy(id) else { return stream.close() }
                answer(HeraldAPI.Request(
                    method: head.method, target: head.target, headers: head.headers.map { ($0.name, $0.value) },
                    body: body), head: head)
            }
        }
        if activity == .reading { settle() }
    }

    /// `Expect: 100-continue`: the client waits for our word before sending its body. A head the server
    /// already refuses (no key) gets its answer instead, and the body is never read. (A client that sends
    /// its body at once has it read, within the limits, so the answer reaches it.)
    private func answerExpectation(of head: HTTPRequestParser.Head) {
        guard head.header("expect")?.lowercased() == "100-continue" else { return }
        let request = HeraldAPI.Request(
            method: head.method, target: head.target, headers: head.headers.map { ($0.name, $0.value) }, body: [])
        if let early = server.headCheck?(request) {
            finish(with: HTTPResponseEncoder.encode(early, keepAlive: false, minorVersion: head.minorVersion))
        } else {
            stream.write(HTTPResponseEncoder.continueInterim)
        }
    }

    /// Hands the request to the async handler; its answer comes back to the loop.
    private func answer(_ request: HeraldAPI.Request, head: HTTPRequestParser.Head) {
        activity = .answering
        stream.setReading(false)
        deadline = nil
        let loop = loop
        let handler = server.handler
        Task {
            let response = await handler(request)
            loop.execute { [self] in respond(response, to: head) }
        }
    }

    private func respond(_ response: HeraldAPI.Response, to head: HTTPRequestParser.Head) {
        guard !stream.isClosed else { return }
        let keepAlive = head.keepsAlive && !server.isStopping
        let bytes = HTTPResponseEncoder.encode(
            response, keepAlive: keepAlive, minorVersion: head.minorVersion, omittingBody: head.method == "HEAD")
        served += 1
        guard keepAlive else { return finish(with: bytes) }
        activity = .writing
        setDeadline(.now + configuration.bodyTimeout)
        stream.write(bytes)
    }

    /// Everything written is out: read the next request, or close after the last answer.
    private func drained() {
        switch activity {
        case .closing:
            stream.close()
        case .writing:
            activity = .reading
            settled = nil
            stream.setReading(true)
            serveDecodedRequests()
        case .reading, .answering:
            break
        }
    }

    /// Sends a last answer and closes once it is out (or when writing it takes too long).
    private func finish(with bytes: [UInt8]) {
        activity = .closing
        stream.setReading(false)
        setDeadline(.now + configuration.bodyTimeout)
        stream.write(bytes)
    }

    /// Answers an unreadable request with its status and closes the connection.
    private func reject(_ error: HTTPParseError) {
        server.rejectionObserver?(error.status, error.message)
        let response = HTTPResponseEncoder.rejection(error)
        finish(with: HTTPResponseEncoder.encode(
            response, keepAlive: false, minorVersion: decoder.currentHead?.minorVersion ?? 1))
    }

    // MARK: - Phases and deadlines

    /// Tells the server whether the connection is idle and restarts the timeout when the phase or the
    /// request changed; closes the connection when the server took it as the oldest idle one meanwhile.
    private func settle() {
        let now = (phase: decoder.phase, served: served)
        if let settled, settled == now { return }
        settled = now
        switch now.phase {
        case .awaitingRequest:
            if server.isStopping { return stream.close() }
            server.connectionIsIdle(id)
            setDeadline(.now + (served == 0 ? configuration.firstByteTimeout : configuration.idleTimeout))
        case .readingHead:
            guard server.connectionIsBusy(id) else { return stream.close() }
            setDeadline(.now + configuration.headerTimeout)
        case .readingBody:
            guard server.connectionIsBusy(id) else { return stream.close() }
            setDeadline(.now + configuration.bodyTimeout)
        }
    }

    private func setDeadline(_ instant: ContinuousClock.Instant) {
        deadline = instant
        guard !isTimerArmed else { return }
        isTimerArmed = true
        timer = loop.schedule(at: instant) { [self] in timerFired() }
    }

    private func timerFired() {
        isTimerArmed = false
        guard !stream.isClosed, let deadline else { return }
        guard deadline <= .now else { return setDeadline(deadline) }
        self.deadline = nil
        timedOut()
    }

    private func timedOut() {
        switch activity {
        case .reading:
            switch decoder.phase {
            case .awaitingRequest:
                stream.close()
            case .readingHead:
                reject(HTTPParseError(408, "the request head took too long"))
            case .readingBody:
                reject(HTTPParseError(408, "the request body took too long"))
            }
        case .writing, .closing:
            stream.close()
        case .answering:
            break
        }
    }

    private func closed() {
        if let timer { loop.cancelTimer(timer) }
        server.connectionClosed(id)
    }
}
