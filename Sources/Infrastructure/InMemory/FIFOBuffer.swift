/// A first-in, first-out buffer: append at the back, remove from the front in O(1) amortized (the front
/// is an index, and the array is shortened only once most of it is behind that index).
struct FIFOBuffer<Element> {
    private var storage: [Element] = []
    private var head = 0

    var count: Int { storage.count - head }
    var first: Element? { head < storage.count ? storage[head] : nil }

    /// The elements from the newest to the oldest.
    var newestFirst: ReversedCollection<ArraySlice<Element>> { storage[head...].reversed() }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func removeFirst() {
        guard head < storage.count else { return }
        head += 1
        if head > 1024, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// Keeps only the elements `isKept` accepts, in order.
    mutating func compact(keeping isKept: (Element) -> Bool) {
        storage = storage[head...].filter(isKept)
        head = 0
    }

    /// The elements before the first one `isAtOrPast` holds for, newest first, found by binary search: the
    /// predicate must be false for a prefix of the buffer and true for the rest (an order like a sequence number).
    func newestFirst(before isAtOrPast: (Element) -> Bool) -> ReversedCollection<ArraySlice<Element>> {
        var low = head
        var high = storage.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(storage[middle]) { high = middle } else { low = middle + 1 }
        }
        return storage[head..<low].reversed()
    }
}
