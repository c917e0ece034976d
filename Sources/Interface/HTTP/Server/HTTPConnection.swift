import Foundation
import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves one TCP connection on its own thread: reads requests (pipelined ones too), answers them in
/// order, and closes on `Connection: close`, errors, timeouts or server shutdown.
struct HTTPConnection {
    let socket: TCPSocket
    let server: HTTPServer

    private var configuration: HTTPServer.Configuration { server.configuration }

    func serve() {
        var buffer: [UInt8] = []
        while true {
            guard let (head, headLength) = readHead(&buffer) else { return }
            buffer.removeFirst(headLength)
            let framing: HTTPRequestParser.Framing
            do {
                framing = try HTTPRequestParser.framing(of: head)
                if case .length(let length) = framing, length > configuration.maxBodyBytes {
                    throw HTTPParseError(413, "the request body is larger than \(configuration.maxBodyBytes) bytes")
                }
            } catch {
                return reject(error, head: head)
            }
            if head.header("expect")?.lowercased() == "100-continue", framing != .none {
                guard write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            let body: [UInt8]
            do {
                guard let read = try readBody(&buffer, framing: framing) else { return }
                body = read
            } catch {
                return reject(error, head: head)
            }
            let request = HTTPRequest(
                method: head.method, target: head.target, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            let response = server.respond(to: request)
            let keepAlive = head.keepsAlive && !server.isStopping
            guard write(serialize(response, keepAlive: keepAlive, minorVersion: head.minorVersion)), keepAlive else { return }
        }
    }

    /// Reads until a whole head is buffered. Returns nil (closing quietly) when the client leaves or an
    /// idle keep-alive connection times out or the server stops; answers 408/4xx for slow or bad heads.
    private func readHead(_ buffer: inout [UInt8]) -> (HTTPRequestParser.Head, Int)? {
        var deadline = ContinuousClock.now + configuration.idleTimeout
        var started = !buffer.isEmpty
        if started { deadline = .now + configuration.headerTimeout }
        while true {
            do {
                if let parsed = try HTTPRequestParser.parseHead(buffer[...], maxHeaderBytes: configuration.maxHeaderBytes) {
                    return parsed
                }
            } catch {
                reject(error, head: nil)
                return nil
            }
            if server.isStopping, buffer.isEmpty { return nil }
            switch receive(into: &buffer, until: deadline) {
            case .data:
                if !started {
                    started = true
                    deadline = .now + configuration.headerTimeout
                }
            case .timeout:
                if started { reject(HTTPParseError(408, "the request head took too long"), head: nil) }
                return nil
            case .closed:
                return nil
            }
        }
    }

    private func readBody(_ buffer: inout [UInt8], framing: HTTPRequestParser.Framing) throws -> [UInt8]? {
        let deadline = ContinuousClock.now + configuration.bodyTimeout
        while true {
            switch framing {
            case .none:
                return []
            case .length(let length):
                if buffer.count >= length {
                    defer { buffer.removeFirst(length) }
                    return Array(buffer[..<length])
                }
            case .chunked:
                if let (body, used) = try HTTPRequestParser.decodeChunked(buffer[...], maxBodyBytes: configuration.maxBodyBytes) {
                    buffer.removeFirst(used)
                    return body
                }
                // Chunk framing (sizes, extensions, trailers) may not grow the buffer past the body limit by much.
                if buffer.count > configuration.maxBodyBytes + configuration.maxHeaderBytes {
                    throw HTTPParseError(413, "the chunked request body is too large")
                }
            }
            switch receive(into: &buffer, until: deadline) {
            case .data: continue
            case .timeout: throw HTTPParseError(408, "the request body took too long")
            case .closed: return nil
            }
        }
    }

    private enum Received { case data, timeout, closed }

    /// Waits (in slices, to notice shutdown) for bytes until `deadline`.
    private func receive(into buffer: inout [UInt8], until deadline: ContinuousClock.Instant) -> Received {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .timeout }
            do {
                guard try socket.waitUntilReady(for: Int16(POLLIN), timeout: min(left, .milliseconds(200))) else {
                    if server.isStopping, buffer.isEmpty { return .closed }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                guard let count = try chunk.withUnsafeMutableBytes({ try socket.read(into: $0) }) else { continue }
                guard count > 0 else { return .closed }
                buffer.append(contentsOf: chunk[..<count])
                return .data
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

    private func serialize(_ response: HTTPResponse, keepAlive: Bool, minorVersion: Int) -> [UInt8] {
        var head = "HTTP/1.\(minorVersion) \(response.status) \(HTTPResponse.reason(response.status))\r\n"
        for (name, value) in response.headers where name.lowercased() != "content-length" && name.lowercased() != "connection" {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        return Array(head.utf8) + response.body
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
