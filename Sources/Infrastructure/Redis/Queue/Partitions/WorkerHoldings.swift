import HeraldApplication
import Synchronization

/// What this process's workers hold across the partitions, so that isolation (a worker holding a suspect takes
/// nothing else; a worker takes a suspect only when it holds nothing) holds across partitions too: each
/// partition's scripts see only that partition's list. A worker id belongs to one process, so the process's own
/// view of what it reserved and settled is the whole truth for it.
final class WorkerHoldings: Sendable {
    private struct Held {
        var tokens: Set<String> = []
        var suspects: Set<String> = []
        /// A suspect was given back because the worker held other units: it takes nothing until it is empty.
        var isEmptying = false
    }

    /// What a reserve may do for a worker now.
    enum Admission {
        /// Take anything.
        case open
        /// Take nothing: the worker holds a suspect, or is emptying to take one.
        case isolated
    }

    private let held = Mutex<[WorkerID: Held]>([:])
    /// When each isolated worker last asked the queue what it holds.
    private let refreshed = Mutex<[WorkerID: ContinuousClock.Instant]>([:])

    func admission(of worker: WorkerID) -> Admission {
        held.withLock { state in
            guard let held = state[worker] else { return .open }
            return held.suspects.isEmpty && !held.isEmptying ? .open : .isolated
        }
    }

    /// Whether an isolated worker may ask the queue what it holds now: once a second, whichever loop asks first.
    func mayRefresh(_ worker: WorkerID) -> Bool {
        refreshed.withLock { state in
            let now = ContinuousClock.now
            if let last = state[worker], last.duration(to: now) < .seconds(1) { return false }
            state[worker] = now
            return true
        }
    }

    /// The tokens the worker holds now, by this process's account.
    func snapshot(of worker: WorkerID) -> Set<String> {
        held.withLock { $0[worker]?.tokens ?? [] }
    }

    /// Records a taken unit; false when the worker may not hold it: a suspect beside what it holds (the worker then
    /// empties before it takes anything more), or anything while it holds a suspect or is emptying. Concurrent
    /// loops of one worker reserve at once, so this is checked again for every unit handed over.
    func take(_ reservation: Reservation) -> Bool {
        held.withLock { state in
            var entry = state[reservation.worker] ?? Held()
            defer { state[reservation.worker] = entry.tokens.isEmpty && !entry.isEmptying ? nil : entry }
            if !entry.suspects.isEmpty || (entry.isEmptying && !entry.tokens.isEmpty) { return false }
            if reservation.unit.isSuspect, !entry.tokens.isEmpty {
                entry.isEmptying = true
                return false
            }
            entry.isEmptying = false
            entry.tokens.insert(reservation.token)
            if reservation.unit.isSuspect { entry.suspects.insert(reservation.token) }
            return true
        }
    }

    /// Forgets, of the tokens it held when the queue was asked (`asked`), those the queue no longer has: a unit
    /// taken while the queue was being asked is kept.
    func keep(only tokens: Set<String>, of worker: WorkerID, amongst asked: Set<String>) {
        held.withLock { state in
            guard var entry = state[worker] else { return }
            let gone = asked.subtracting(tokens)
            entry.tokens.subtract(gone)
            entry.suspects.subtract(gone)
            state[worker] = entry.tokens.isEmpty ? nil : entry
        }
    }

    /// Forgets settled or released tokens of a worker.
    func drop(_ tokens: some Sequence<String>, of worker: WorkerID) {
        held.withLock { state in
            guard var entry = state[worker] else { return }
            for token in tokens {
                entry.tokens.remove(token)
                entry.suspects.remove(token)
            }
            state[worker] = entry.tokens.isEmpty ? nil : entry
        }
    }
}
