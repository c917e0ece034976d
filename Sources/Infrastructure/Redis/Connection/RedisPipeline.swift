/// One pipelined connection's state as a value: the bytes callers queued for the next write, the FIFO of
/// callers waiting for replies, whether a flush and the reply timer are pending, and why it failed.
///
/// It does no I/O and reads no clock. ``RedisConnection`` feeds it (under its lock) submissions, decoded
/// replies, timer firings and failures, and carries out what each call returns on its event loop, so the
/// pipelining rules are tested without sockets. Once failed it stays failed: a late reply could otherwise
/// reach the wrong caller.
struct RedisPipeline<Waiter> {
    /// What a submission asks of the connection.
    enum Submission {
        /// Queued. When `mustScheduleFlush`, this is the first command since the last flush and the
        /// caller schedules the one flush that writes it and everything queued after it.
        case queued(mustScheduleFlush: Bool)
        /// The connection had failed; nothing was queued.
        case failed(RedisError)
    }

    /// What decoded replies ask of the connection.
    struct Delivery {
        /// Each waiting caller with its reply, oldest first (the replies of cancelled callers are dropped).
        var replies: [(waiter: Waiter, reply: RESPValue)] = []
        /// When to arm the reply timer (in place of the armed one), if the oldest caller now waiting has a
        /// deadline earlier than the armed timer's, or none is armed.
        var armTimer: ContinuousClock.Instant?
        /// A reply arrived that no command was waiting for: the pipeline failed and the socket must close.
        var mustClose = false
    }

    /// What a firing of the reply timer asks of the connection.
    enum TimerOutcome {
        /// Nothing waits with a deadline; the timer stays disarmed.
        case idle
        /// The oldest caller's deadline is later (its predecessors were answered): arm the timer again.
        case rearm(ContinuousClock.Instant)
        /// The oldest caller's deadline passed: the pipeline failed; fail these waiters and close.
        case expired(RedisError, [Waiter])
    }

    /// Names the connection in error messages.
    let name: String
    /// Why the connection failed; nil while it works.
    private(set) var failure: RedisError?
    private var outgoing: [UInt8] = []
    private var pending = PendingReplies<Waiter>()
    private var isFlushScheduled = false
    /// The deadline the reply timer is armed for; nil while it is not armed.
    private var armedDeadline: ContinuousClock.Instant?
    /// Set by ``retire()``: new commands are refused, and the connection closes once every reply is in.
    private(set) var isRetired = false

    init(name: String) {
        self.name = name
    }

    /// How many replies are outstanding (cancelled callers' included).
    var pendingCount: Int { pending.count }

    /// Queues `command` for the next write and `waiter` for its reply.
    mutating func submit(
        _ command: RESPCommand, id: UInt64, deadline: ContinuousClock.Instant?, waiter: Waiter
    ) -> Submission {
        if let failure { return .failed(failure) }
        if isRetired { return .failed(RedisError.retiredRefusal(name)) }
        command.encode(into: &outgoing)
        pending.append(PendingReplies.Entry(id: id, waiter: waiter, deadline: deadline))
        guard !isFlushScheduled else { return .queued(mustScheduleFlush: false) }
        isFlushScheduled = true
        return .queued(mustScheduleFlush: true)
    }

    /// Runs the scheduled flush: swaps everything queued into `buffer` (which must be empty; it comes
    /// back empty when nothing is to be written) and returns when to arm the reply timer, in place of the
    /// armed one, if it must be.
    mutating func flush(into buffer: inout [UInt8]) -> ContinuousClock.Instant? {
        isFlushScheduled = false
        guard failure == nil else { return nil }
        swap(&outgoing, &buffer)
        return timerToArm()
    }

    /// Hands each decoded reply to the oldest waiter, in order.
    mutating func deliver(_ replies: some Sequence<RESPValue>) -> Delivery {
        var delivery = Delivery()
        guard failure == nil else { return delivery }
        for reply in replies {
            guard let entry = pending.popFirst() else {
                _ = fail(RedisError(.protocolViolation, "a reply arrived that no command was waiting for"))
                delivery.mustClose = true
                return delivery
            }
            if let waiter = entry { delivery.replies.append((waiter, reply)) }
        }
        if isRetired, pending.isEmpty {
            _ = fail(RedisError(.connectionClosed, "the connection to \(name) was retired"))
            delivery.mustClose = true
            return delivery
        }
        delivery.armTimer = timerToArm()
        return delivery
    }

    /// Refuses new commands from now on and reports whether the connection may close at once (nothing is
    /// pending); otherwise ``deliver(_:)`` asks for the close with the last reply. How a client drops a
    /// connection to a server it no longer uses without failing the commands already sent on it.
    mutating func retire() -> Bool {
        isRetired = true
        guard pending.isEmpty else { return false }
        _ = fail(RedisError(.connectionClosed, "the connection to \(name) was retired"))
        return true
    }

    /// The reply timer fired at `now`.
    mutating func timerFired(at now: ContinuousClock.Instant) -> TimerOutcome {
        armedDeadline = nil
        guard failure == nil, let deadline = pending.oldestDeadline else { return .idle }
        guard deadline <= now else {
            armedDeadline = deadline
            return .rearm(deadline)
        }
        let (failure, waiters) = fail(
            RedisError(.timedOut, "no reply from \(name) in time; the connection was discarded"))
        return .expired(failure, waiters)
    }

    /// Detaches the waiter of `id` if it still waits; its slot stays, so its reply is dropped on arrival.
    mutating func cancel(_ id: UInt64) -> Waiter? {
        pending.cancel(id)
    }

    /// Fails the pipeline for good (a second failure keeps the first) and returns the failure that stands
    /// with every waiter still waiting, oldest first; later calls return no waiters.
    mutating func fail(_ error: RedisError) -> (failure: RedisError, waiters: [Waiter]) {
        let failure = self.failure ?? error
        self.failure = failure
        outgoing = []
        return (failure, pending.removeAll())
    }

    /// The oldest caller's deadline when the timer must move to it: nothing is armed, or it is armed for
    /// later (a command with a shorter timeout behind one with a longer). A timer armed earlier stays:
    /// when it fires early it is armed again for whoever is oldest then.
    private mutating func timerToArm() -> ContinuousClock.Instant? {
        guard let deadline = pending.oldestDeadline else { return nil }
        if let armedDeadline, armedDeadline <= deadline { return nil }
        armedDeadline = deadline
        return deadline
    }
}
