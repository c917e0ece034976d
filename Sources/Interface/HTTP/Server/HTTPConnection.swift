import Foundation
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves one TCP connection on its own thread: feeds what arrives to an ``HTTPRequestDecoder``, answers
/// the requests in order (pipelined ones too), and closes on `Connection: close`, errors, timeouts, server
/// shutdown, or when the server closes it as the oldest idle connection to admit a new client.
///
/// Timeouts follow the decoder's phase: ``HTTPServer/Configuration/firstByteTimeout`` until a new
/// connection sends its first byte, ``HTTPServer/Configuration/idleTimeout`` between keep-alive requests,
/// ``HTTPServer/Configuration/headerTimeout`` from a request's first byte to the end of its head, and
/// ``HTTPServer/Configuration/bodyTimeout`` for its body.
struct HTTPConnection {
    let socket: TCPSocket
    let id: HTTPConnectionTable<TCPSocket>.ID
    let server: HTTPServer

    private var configuration: HTTPServer.Configuration { server.configuration }

    func serve() {
        var decoder = HTTPRequestDecoder(
            maxHeaderBytes: configuration.maxHeaderBytes, maxBodyBytes: configuration.maxBodyBytes)
        var served = 0
        var settled = (phase: HTTPRequestDecoder.Phase.awaitingRequest, served: 0)
        var deadline = ContinuousClock.now + configuration.firstByteTimeout
        /// Tells the server whether the connection is idle and restarts the timeout when the phase or the
        /// request changed; false when the server closed the connection while it was idle.
        func settle() -> Bool {
            let now = (phase: decoder.phase, served: served)
            guard now != settled else { return true }
            settled = now
            deadline = .now + timeout(for: now.phase, afterRequests: served)
            guard now.phase == .awaitingRequest else { return server.connectionIsBusy(id) }
            server.connectionIsIdle(id)
            return true
        }
        while true {
            do {
                while let output = try decoder.next() {
                    switch output {
                    case .head(let head, _):
                        guard head.header("expect")?.lowercased() == "100-continue" else { continue }
                        // The client waits for our word before sending its body: one the head already refuses (no
                        // key) gets its answer instead of a `100 Continue`, and the body is never read. (A client
                        // that sends its body at once has it read, within the limits, so the answer reaches it.)
                        if let early = server.headCheck?(HTTPRequest(
                            method: head.method, target: head.target, headers: head.headers.map { ($0.name, $0.value) },
                            body: []))
                        {
                            _ = write(serialize(early, keepAlive: false, minorVersion: head.minorVersion))
                            return
                        }
                        guard write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                    case .request(let head, let body):
                        let request = HTTPRequest(
                            method: head.method, target: head.target, headers: head.headers.map { ($0.name, $0.value) },
                            body: body)
                        let response = server.respond(to: request)
                        let keepAlive = head.keepsAlive && !server.isStopping
                        let bytes = serialize(
                            response, keepAlive: keepAlive, minorVersion: head.minorVersion,
                            omittingBody: head.method == "HEAD")
                        guard write(bytes), keepAlive else { return }
                        served += 1
                    }
                }
            } catch {
                return reject(error, head: decoder.currentHead)
            }
            guard settle() else { return }
            let isBetweenRequests = decoder.phase == .awaitingRequest
            if server.isStopping, isBetweenRequests { return }
            switch receive(until: deadline, closingWhenStopping: isBetweenRequests) {
            case .data(let bytes):
                decoder.feed(bytes)
                guard settle() else { return }
            case .timeout:
                if !isBetweenRequests {
                    let part = decoder.phase == .readingBody ? "body" : "head"
                    reject(HTTPParseError(408, "the request \(part) took too long"), head: decoder.currentHead)
                }
                return
            case .closed:
                return
            }
        }
    }

    private func timeout(for phase: HTTPRequestDecoder.Phase, afterRequests served: Int) -> Duration {
        switch phase {
        case .awaitingRequest: served == 0 ? configuration.firstByteTimeout : configuration.idleTimeout
        case .readingHead: configuration.headerTimeout
        case .readingBody: configuration.bodyTimeout
        }
    }

    private enum Received {
        case data(ArraySlice<UInt8>)
        case timeout
        case closed
    }

    /// Waits (in slices, to notice shutdown) for bytes until `deadline`.
    private func receive(until deadline: ContinuousClock.Instant, closingWhenStopping: Bool) -> Received {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .timeout }
            do {
                guard try socket.waitUntilReady(for: Int16(POLLIN), timeout: min(left, .milliseconds(200))) else {
                    if server.isStopping, closingWhenStopping { return .closed }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                guard let count = try chunk.withUnsafeMutableBytes({ try socket.read(into: $0) }) else { continue }
                guard count > 0 else { return .closed }
                return .data(chunk[..<count])
            } catch {
                return .closed
            }
        }
    }

    /// Answers an unreadable request with its status and closes the connection.
    private func reject(_ error: any Error, head: HTTPRequestParser.Head?) {
        let parseError = error as? HTTPParseError ?? HTTPParseError(400, "malformed request")
        server.rejectionObserver?(parseError.status, parseError.message)
        let code: String =
            switch parseError.status {
            case 413: "body_too_large"
            case 408: "request_timeout"
            case 431: "headers_too_large"
            case 414: "uri_too_long"
            case 501: "not_implemented"
            case 505: "http_version_not_supported"
            default: "bad_request"
            }
        let response = APIErrorBody.response(status: parseError.status, code: code, message: parseError.message, field: nil)
        _ = write(serialize(response, keepAlive: false, minorVersion: head?.minorVersion ?? 1))
    }

    /// The response's bytes; a `HEAD` request gets the head only, with the `Content-Length` a GET would have.
    private func serialize(_ response: HTTPResponse, keepAlive: Bool, minorVersion: Int, omittingBody: Bool = false)
        -> [UInt8]
    {
        var head = "HTTP/1.\(minorVersion) \(response.status) \(HTTPResponse.reason(response.status))\r\n"
        for (name, value) in response.headers where name.lowercased() != "content-length" && name.lowercased() != "connection" {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return omittingBody ? Array(head.utf8) : Array(head.utf8) + response.body
    }

    /// Writes all of `bytes` within the body timeout; false when the client is gone.
    private func write(_ bytes: [UInt8]) -> Bool {
        let deadline = ContinuousClock.now + configuration.bodyTimeout
        var offset = 0
        while offset < bytes.count {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, (try? socket.waitUntilReady(for: Int16(POLLOUT), timeout: left)) == true,
                let written = try? bytes[offset...].withUnsafeBytes({ try socket.write($0) })
            else { return false }
            offset += written
        }
        return true
    }
}
