/// The FIFO of callers waiting for replies on one connection; replies complete them in order.
/// A cancelled caller keeps its slot (its reply still arrives and is dropped) so order is never lost.
/// Generic over the waiter so that it is tested with plain values instead of continuations.
struct PendingReplies<Waiter> {
    struct Entry {
        let id: UInt64
        var waiter: Waiter?
        let deadline: ContinuousClock.Instant?
    }

    private var entries: [Entry] = []
    private var head = 0

    var isEmpty: Bool { head == entries.count }
    var count: Int { entries.count - head }
    var oldestDeadline: ContinuousClock.Instant? { isEmpty ? nil : entries[head].deadline }

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    /// Removes the oldest entry and returns its waiter (`.some(nil)` if that caller was cancelled), or
    /// nil when no one is waiting.
    mutating func popFirst() -> Waiter?? {
        guard !isEmpty else { return nil }
        let entry = entries[head]
        head += 1
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return .some(entry.waiter)
    }

    /// Detaches the waiter of `id`, if it is still waiting, so its caller can be resumed now.
    mutating func cancel(_ id: UInt64) -> Waiter? {
        guard let index = entries[head...].firstIndex(where: { $0.id == id }) else { return nil }
        defer { entries[index].waiter = nil }
        return entries[index].waiter
    }

    /// Removes every entry and returns the waiters still waiting, oldest first.
    mutating func removeAll() -> [Waiter] {
        defer {
            entries.removeAll()
            head = 0
        }
        return entries[head...].compactMap(\.waiter)
    }
}
