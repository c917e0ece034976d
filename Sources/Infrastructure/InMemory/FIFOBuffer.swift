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
}
