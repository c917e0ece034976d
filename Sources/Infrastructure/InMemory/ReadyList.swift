import HeraldApplication

/// A FIFO of ready units with O(1) push at both ends and pop at the front.
struct ReadyList {
    private var storage: [DeliveryUnit?] = []
    private var head = 0

    var count: Int { storage.count - head }
    var first: DeliveryUnit? { head < storage.count ? storage[head] : nil }

    /// The units from the head (the oldest) on.
    var units: some Sequence<DeliveryUnit> { storage[head...].lazy.compactMap { $0 } }

    mutating func append(_ unit: DeliveryUnit) {
        storage.append(unit)
    }

    mutating func prepend(_ unit: DeliveryUnit) {
        if head > 0 {
            head -= 1
            storage[head] = unit
        } else {
            storage.insert(unit, at: 0)
        }
    }

    mutating func popFirst() -> DeliveryUnit? {
        guard head < storage.count else { return nil }
        defer {
            storage[head] = nil
            head += 1
            if head > 1024, head * 2 > storage.count {
                storage.removeFirst(head)
                head = 0
            }
        }
        return storage[head]
    }
}
