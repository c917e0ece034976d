import Foundation
import HeraldSockets
import HeraldTestSupport
import Testing

/// A thread that cannot be started is an error, never a wait that lasts forever.
@Suite struct ThreadStartFailureTests {
    @Test func theHelperThrowsWhenTheSystemRefusesTheThread() {
        // A stack larger than the address space: pthread_create cannot map it and fails (EAGAIN or ENOMEM).
        let error = #expect(throws: SocketError.self) {
            try DedicatedThread.start(name: "too-big", stackSize: 1 << 60) { Issue.record("the body must not run") }
        }
        #expect(error?.call == "pthread_create")
        #expect(error?.detail == "cannot start thread too-big")
    }

    @Test func theHelperRunsTheBodyOnANewThread() async {
        let ran = await withCheckedContinuation { continuation in
            do {
                try DedicatedThread.start(name: "herald-test") { continuation.resume(returning: true) }
            } catch {
                continuation.resume(returning: false)
            }
        }
        #expect(ran)
    }

    /// Runs `HeraldThreadProbe`, a process whose RLIMIT_NPROC (set by itself, as a non-root user) lets no
    /// thread start, and checks that a Redis connect and an SMTP send each answered with the failed start.
    @Test(.timeLimit(.minutes(1)))
    func redisConnectsAndSMTPSendsFailCleanlyWhenNoThreadCanStart() async throws {
        let probe = try ChildProcess(ChildProcess.builtProduct("HeraldThreadProbe"), arguments: [String(try freeLoopbackPort())])
        let finished = try await probe.waitForOutput(timeout: .seconds(20)) { $0.contains("done") || $0.contains { $0.hasPrefix("setup:") } }
        let lines = probe.output
        #expect(finished, "the probe hung: \(lines)")
        #expect(lines.contains { $0.hasPrefix("helper: pthread_create failed") }, "\(lines)")
        let redis = lines.first { $0.hasPrefix("redis: ") } ?? "none"
        #expect(redis.contains("pthread_create failed"), "\(redis)")
        let smtp = lines.first { $0.hasPrefix("smtp: ") } ?? "none"
        #expect(smtp.contains("retry") && smtp.contains("pthread_create failed"), "\(smtp)")
    }
}
