import Foundation
import HeraldDomain

/// The finished records of the memory store in the order they finished, for eviction by age and
/// count in O(1) amortized. A record that changes again gets a new entry; its old one is skipped as stale.
struct FinishedOrder {
    struct Entry {
        var id: NotificationID
        var finishedAt: Date
        var sequence: Int
    }

    private var entries = FIFOBuffer<Entry>()
    private var nextSequence = 0

    /// Appends `id`, finished at `date`; returns the sequence number that marks the entry current.
    mutating func append(_ id: NotificationID, finishedAt date: Date) -> Int {
        nextSequence += 1
        entries.append(Entry(id: id, finishedAt: date, sequence: nextSequence))
        return nextSequence
    }

    /// The oldest entry, stale or not.
    var first: Entry? { entries.first }

    /// How many entries are held, stale ones included.
    var count: Int { entries.count }

    /// Keeps only the entries `isCurrent` accepts (the store's own test of staleness).
    mutating func compact(keeping isCurrent: (Entry) -> Bool) {
        entries.compact(keeping: isCurrent)
    }

    mutating func removeFirst() {
        entries.removeFirst()
    }
}
