#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connected socket served by an ``EventLoop``: what arrives is handed to ``onBytes``, what is written
/// is sent at once or queued until the socket takes it, and ``onClosed`` is told once when the stream ends
/// (the peer closed, an error, or ``close()``).
///
/// It lives on its loop's thread: create it, set its callbacks and call every method there. An idle
/// stream costs this object and its socket, nothing else: reads go through the loop's shared buffer.
package final class LoopStream: EventLoopHandler, @unchecked Sendable {
    package let loop: EventLoop
    package let socket: TCPSocket
    /// Told about each read's bytes; valid only during the call (they sit in the loop's shared buffer).
    package var onBytes: (UnsafeRawBufferPointer) -> Void = { _ in }
    /// Told once when the stream ends: nil for a peer that closed or ``close()``, else the failed call.
    package var onClosed: (SocketError?) -> Void = { _ in }
    /// Told when everything written has been handed to the kernel.
    package var onDrained: () -> Void = {}

    private var token: UInt64 = 0
    private var outbound: [UInt8] = []
    private var outboundStart = 0
    private var isReading = true
    private var registeredInterest: Interest = []
    package private(set) var isClosed = false

    package init(loop: EventLoop, socket: TCPSocket) {
        self.loop = loop
        self.socket = socket
    }

    /// Registers on the loop and starts reading.
    /// - Throws: ``SocketError`` when the loop cannot take the socket; the socket is then left open.
    package func start() throws(SocketError) {
        registeredInterest = .readable
        token = try loop.register(socket.descriptor, interest: .readable, handler: self)
    }

    /// Bytes waiting to be taken by the kernel.
    package var unsentByteCount: Int { outbound.count - outboundStart }

    /// Sends `bytes` after anything still queued.
    package func write(_ bytes: some Collection<UInt8>) {
        guard !isClosed else { return }
        outbound.append(contentsOf: bytes)
        flush()
    }

    /// Stops or resumes reading (back-pressure while a request is being answered).
    package func setReading(_ reading: Bool) {
        guard reading != isReading else { return }
        isReading = reading
        updateInterest()
    }

    /// Closes the socket now; queued bytes are dropped. ``onClosed`` is told (with nil).
    package func close() {
        finish(nil)
    }

    package func handle(_ readiness: Readiness) {
        if readiness.isWritable, unsentByteCount > 0 { flush() }
        if readiness.isReadable, isReading, !isClosed { readAvailable(closed: readiness.isClosed) }
        if readiness.isClosed, !isReading, !isClosed, unsentByteCount == 0 { peekForHangUp() }
    }

    private func readAvailable(closed: Bool) {
        do throws(SocketError) {
            guard let count = try socket.read(into: loop.readBuffer) else { return }
            guard count > 0 else { return finish(nil) }
            onBytes(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<count]))
        } catch {
            finish(error)
        }
    }

    /// A paused stream whose peer hung up: the kernel keeps reporting it, so end the stream now.
    private func peekForHangUp() {
        finish(nil)
    }

    private func flush() {
        while unsentByteCount > 0, !isClosed {
            let written: Result<Int, SocketError> = outbound[outboundStart...].withUnsafeBytes { bytes in
                Result { () throws(SocketError) in try socket.write(bytes) }
            }
            switch written {
            case .success(let count) where count > 0: outboundStart += count
            case .success: return updateInterest()
            case .failure(let error): return finish(error)
            }
        }
        if unsentByteCount == 0 {
            outbound.removeAll(keepingCapacity: outbound.count <= 64 * 1024)
            outboundStart = 0
        }
        updateInterest()
        if unsentByteCount == 0, !isClosed { onDrained() }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var wanted: Interest = isReading ? .readable : []
        if unsentByteCount > 0 { wanted.insert(.writable) }
        guard wanted != registeredInterest else { return }
        do throws(SocketError) {
            try loop.reregister(socket.descriptor, token: token, interest: wanted)
            registeredInterest = wanted
        } catch {
            finish(error)
        }
    }

    private func finish(_ error: SocketError?) {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(socket.descriptor, token: token)
        socket.closeDescriptor()
        outbound = []
        outboundStart = 0
        let closed = onClosed
        onBytes = { _ in }
        onClosed = { _ in }
        onDrained = {}
        closed(error)
    }
}
