/// An event loop's timers: a binary min-heap of deadlines. Cancelled timers stay in the heap until they
/// reach the top and are skipped there, so cancelling is O(1) and firing O(log n).
struct TimerHeap {
    private struct Entry {
        let deadline: ContinuousClock.Instant
        let id: UInt64
    }

    private var heap: [Entry] = []
    private var work: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 0

    /// How many timers are armed (cancelled ones not counted).
    var count: Int { work.count }

    /// The earliest deadline of an armed timer, dropping cancelled ones from the top on the way.
    mutating func nextDeadline() -> ContinuousClock.Instant? {
        while let top = heap.first {
            if work[top.id] != nil { return top.deadline }
            popTop()
        }
        return nil
    }

    /// Arms `body` to run at `deadline`; returns the id that cancels it.
    mutating func schedule(at deadline: ContinuousClock.Instant, _ body: @escaping () -> Void) -> UInt64 {
        nextID &+= 1
        work[nextID] = body
        heap.append(Entry(deadline: deadline, id: nextID))
        siftUp(heap.count - 1)
        return nextID
    }

    /// Disarms a timer; a no-op when it already fired or was cancelled.
    mutating func cancel(_ id: UInt64) {
        work[id] = nil
    }

    /// Takes the work of every timer due at `now`, earliest first.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let top = heap.first, top.deadline <= now {
            popTop()
            if let body = work.removeValue(forKey: top.id) { due.append(body) }
        }
        return due
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let smaller = right < heap.count && heap[right].deadline < heap[left].deadline ? right : left
            guard heap[smaller].deadline < heap[parent].deadline else { return }
            heap.swapAt(parent, smaller)
            parent = smaller
        }
    }
}
