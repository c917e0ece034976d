import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes lines to a descriptor (standard output, standard error) from a dedicated thread, so a slow
/// reader of a pipe never blocks the cooperative pool, and lines written at once by many tasks go out
/// in one `write(2)` instead of one each. Every line is written whole, so lines never interleave.
///
/// ``write(_:)`` returns at once; ``writeAndWait(_:)`` returns once the line was handed to the kernel
/// (the console channel reports a delivery sent only then); ``flush()`` waits for everything queued.
package final class BatchedDescriptorWriter: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `condition`.
    private let descriptor: Int32
    private let condition = NSCondition()
    private var queued: [UInt8] = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var batchesQueued = 0
    private var batchesWritten = 0
    private var isWriting = false
    private let flushesStandardOutput: Bool

    /// The writers of standard output and standard error, started on first use.
    package static let standardOutput = BatchedDescriptorWriter(descriptor: 1, name: "herald-stdout")
    package static let standardError = BatchedDescriptorWriter(descriptor: 2, name: "herald-stderr")

    /// - Parameter name: the writer thread's name.
    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        flushesStandardOutput = descriptor == 1
        do {
            try DedicatedThread.start(name: name) { [self] in run() }
        } catch {
            // No thread: write on the caller's thread instead (see `write`), rather than losing lines.
            isThreadless = true
        }
    }

    private var isThreadless = false

    /// Queues `line` and a newline; returns at once.
    package func write(_ line: String) {
        enqueue(line, waiter: nil)
    }

    /// Queues `line` and a newline; returns once it has been written.
    package func writeAndWait(_ line: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            enqueue(line, waiter: continuation)
        }
    }

    /// Blocks until everything queued so far has been written (at exit, after the last line).
    package func flush() {
        condition.lock()
        let target = batchesQueued
        while batchesWritten < target, !isThreadless { condition.wait() }
        condition.unlock()
    }

    private func enqueue(_ line: String, waiter: CheckedContinuation<Void, Never>?) {
        condition.lock()
        if isThreadless {
            condition.unlock()
            writeAll(Array((line + "\n").utf8))
            waiter?.resume()
            return
        }
        if queued.isEmpty { batchesQueued += 1 }
        queued.append(contentsOf: line.utf8)
        queued.append(10)
        if let waiter { waiters.append(waiter) }
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        var batch: [UInt8] = []
        while true {
            condition.lock()
            while queued.isEmpty { condition.wait() }
            swap(&batch, &queued)
            let resumed = waiters
            waiters.removeAll(keepingCapacity: true)
            condition.unlock()
            if flushesStandardOutput { fflush(nil) }
            writeAll(batch)
            batch.removeAll(keepingCapacity: batch.capacity <= 1 << 20)
            for waiter in resumed { waiter.resume() }
            condition.lock()
            batchesWritten += 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Writes every byte, retrying on `EINTR` and partial writes; gives up on any other error (a closed
    /// descriptor has no one left to read it).
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
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
