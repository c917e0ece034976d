import Synchronization
import Testing

@testable import HeraldSockets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct EventLoopTests {
    @Test(.timeLimit(.minutes(1)))
    func workHandedOverFromManyTasksAllRunsOnTheLoopThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        let ran = Shared((count: 0, offLoop: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1_250 {
                        loop.execute {
                            let onLoop = loop.inEventLoop
                            ran.withLock { state in
                                state.count += 1
                                if !onLoop { state.offLoop += 1 }
                            }
                        }
                    }
                }
            }
        }
        await loopTurn(loop)
        #expect(ran.withLock { $0.count } == 10_000)
        #expect(ran.withLock { $0.offLoop } == 0)
        #expect(!loop.inEventLoop)
    }

    @Test(.timeLimit(.minutes(1)))
    func timersFireInDeadlineOrderAndACancelledOneNever() async throws {
        let loop = try EventLoop(name: "test-timers")
        let fired = Shared<[Int]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                let now = ContinuousClock.now
                for (index, delay) in [30, 10, 20].enumerated() {
                    loop.schedule(at: now + .milliseconds(delay)) { fired.withLock { $0.append(index) } }
                }
                let cancelled = loop.schedule(at: now + .milliseconds(15)) { fired.withLock { $0.append(99) } }
                loop.cancelTimer(cancelled)
                loop.schedule(at: now + .milliseconds(40)) { done.resume() }
            }
        }
        #expect(fired.withLock { $0 } == [1, 2, 0])
    }

    @Test(.timeLimit(.minutes(1)))
    func aStreamQueuesWhatTheSocketCannotTakeAndSendsItAllInOrder() async throws {
        let loop = try EventLoop(name: "test-stream")
        let (local, remote) = try socketPair()
        defer { remote.closeDescriptor() }
        let payload = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let drained = Shared(0)
        loop.execute {
            let stream = LoopStream(loop: loop, socket: local)
            stream.onDrained = { drained.withLock { $0 += 1 } }
            try? stream.start()
            stream.write(payload)
            // Far more than a socket buffer holds: most of it waits in the stream.
            #expect(stream.unsentByteCount > 0)
        }
        let received = try await readAll(from: remote, count: payload.count)
        #expect(received == payload)
        await loopTurn(loop)
        #expect(drained.withLock { $0 } == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func aStreamHandsOverWhatArrivesAndIsToldOnceWhenThePeerCloses() async throws {
        let loop = try EventLoop(name: "test-stream-read")
        let (local, remote) = try socketPair()
        let seen = Shared((bytes: [UInt8](), closes: 0, error: false))
        await withCheckedContinuation { (closed: CheckedContinuation<Void, Never>) in
            loop.execute {
                let stream = LoopStream(loop: loop, socket: local)
                stream.onBytes = { bytes in seen.withLock { $0.bytes += bytes } }
                stream.onClosed = { error in
                    seen.withLock { state in
                        state.closes += 1
                        state.error = error != nil
                    }
                    closed.resume()
                }
                try? stream.start()
                DispatchThread.run {
                    _ = Array("hello, loop".utf8).withUnsafeBytes { try? remote.write($0) }
                    remote.closeDescriptor()
                }
            }
        }
        #expect(String(decoding: seen.withLock { $0.bytes }, as: UTF8.self) == "hello, loop")
        #expect(seen.withLock { $0.closes } == 1)
        #expect(seen.withLock { $0.error } == false)
    }

    /// Returns once the loop has run everything handed to it before.
    private func loopTurn(_ loop: EventLoop) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute { continuation.resume() }
        }
    }

    private func socketPair() throws -> (TCPSocket, TCPSocket) {
        var ends: [Int32] = [0, 0]
        #if canImport(Glibc)
            let kind = Int32(SOCK_STREAM.rawValue)
        #else
            let kind = SOCK_STREAM
        #endif
        try #require(socketpair(AF_UNIX, kind, 0, &ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        return (TCPSocket(descriptor: ends[0]), TCPSocket(descriptor: ends[1]))
    }

    /// Reads `count` bytes on a thread of its own (blocking in poll).
    private func readAll(from socket: TCPSocket, count: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            DispatchThread.run {
                var received: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65536)
                while received.count < count {
                    guard (try? socket.waitUntilReady(for: Int16(POLLIN), timeout: .seconds(10))) == true,
                        let read = try? chunk.withUnsafeMutableBytes({ try socket.read(into: $0) }), read > 0
                    else { break }
                    received += chunk[0..<read]
                }
                continuation.resume(returning: received)
            }
        }
    }
}

/// A value several threads of a test update under a lock.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<Result>(_ body: (inout sending Value) -> sending Result) -> sending Result { value.withLock(body) }
}

/// Runs blocking test code on a thread of its own, off the cooperative pool.
enum DispatchThread {
    static func run(_ body: @escaping @Sendable () -> Void) {
        try? DedicatedThread.start(name: "test-peer", body)
    }
}
