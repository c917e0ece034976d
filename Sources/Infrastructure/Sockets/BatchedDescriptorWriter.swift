import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes lines to standard output or standard error from one dedicated thread the two share, so a slow
/// reader of a pipe never blocks the cooperative pool, and lines written at once by many tasks go out
/// in one `write(2)` instead of one each. Every line is written whole, so lines never interleave.
///
/// ``write(_:)`` returns at once; ``writeAndWait(_:)`` returns once the line was handed to the kernel
/// (the console channel reports a delivery sent only then); ``flush()`` waits for everything queued.
package struct BatchedDescriptorWriter: Sendable {
    private let descriptor: Int32
    private let thread: OutputThread

    package static let standardOutput = BatchedDescriptorWriter(descriptor: 1, thread: .shared)
    package static let standardError = BatchedDescriptorWriter(descriptor: 2, thread: .shared)

    /// Queues `line` and a newline; returns at once.
    package func write(_ line: String) {
        thread.enqueue(line, to: descriptor, waiter: nil)
    }

    /// Queues `line` and a newline; returns once it has been written.
    package func writeAndWait(_ line: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            thread.enqueue(line, to: descriptor, waiter: continuation)
        }
    }

    /// Blocks until everything queued so far (on either descriptor) has been written.
    package func flush() {
        thread.flush()
    }
}

/// The thread behind ``BatchedDescriptorWriter``: what is queued per descriptor, written in batches.
private final class OutputThread: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private var queued: [Int32: [UInt8]] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var batchesQueued = 0
    private var batchesWritten = 0
    private var isThreadless = false

    static let shared = OutputThread()

    private init() {
        do {
            try DedicatedThread.start(name: "herald-output") { [self] in run() }
        } catch {
            // No thread: write on the caller's thread instead, rather than losing lines.
            isThreadless = true
        }
    }

    func enqueue(_ line: String, to descriptor: Int32, waiter: CheckedContinuation<Void, Never>?) {
        var bytes = Array(line.utf8)
        bytes.append(10)
        condition.lock()
        if isThreadless {
            condition.unlock()
            Self.writeAll(bytes, to: descriptor)
            waiter?.resume()
            return
        }
        if queued.isEmpty { batchesQueued += 1 }
        queued[descriptor, default: []].append(contentsOf: bytes)
        if let waiter { waiters.append(waiter) }
        condition.broadcast()
        condition.unlock()
    }

    func flush() {
        condition.lock()
        let target = batchesQueued
        while batchesWritten < target { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queued.isEmpty { condition.wait() }
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            let resumed = waiters
            waiters.removeAll(keepingCapacity: true)
            condition.unlock()
            // Whatever the process printed through stdio first stays ahead of these lines.
            if batch[1] != nil { fflush(nil) }
            for (descriptor, bytes) in batch { Self.writeAll(bytes, to: descriptor) }
            for waiter in resumed { waiter.resume() }
            condition.lock()
            batchesWritten += 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Writes every byte, retrying on `EINTR` and partial writes; gives up on any other error (a closed
    /// descriptor has no one left to read it).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#else
    private let systemWrite = Darwin.write
#endif
