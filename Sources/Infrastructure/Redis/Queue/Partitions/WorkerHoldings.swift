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

    func admission(of worker: WorkerID) -> Admission {
        held.withLock { state in
            guard let held = state[worker] else { return .open }
            return held.suspects.isEmpty && !held.isEmptying ? .open : .isolated
        }
    }

    /// Records a taken unit; false when it is a suspect the worker may not hold beside what it holds (the caller
    /// gives it back, and the worker empties before it takes anything more).
    func take(_ reservation: Reservation) -> Bool {
        held.withLock { state in
            var entry = state[reservation.worker] ?? Held()
            defer { state[reservation.worker] = entry }
            if reservation.unit.isSuspect, !entry.tokens.isEmpty {
                entry.isEmptying = true
                return false
            }
            entry.tokens.insert(reservation.token)
            if reservation.unit.isSuspect { entry.suspects.insert(reservation.token) }
            return true
        }
    }

    /// Forgets what the worker no longer holds by the queue's own account.
    func keep(only tokens: Set<String>, of worker: WorkerID) {
        held.withLock { state in
            guard let entry = state[worker] else { return }
            let (tokens, suspects) = (entry.tokens.intersection(tokens), entry.suspects.intersection(tokens))
            state[worker] = tokens.isEmpty ? nil : Held(tokens: tokens, suspects: suspects, isEmptying: entry.isEmptying)
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
