import Foundation
import HeraldApplication
import HeraldDomain

/// The memory queue's dead letters: in time order for listing and trimming, and indexed by delivery so a
/// retry removes its letters in O(1) each, whatever the number of dead letters.
struct DeadLetterIndex {
    private var letters: [DeliveryID: (letter: DeadLetter, sequence: Int)] = [:]
    private var order = FIFOBuffer<(id: DeliveryID, sequence: Int)>()
    /// The same order per channel, for a channel's pages.
    private var channelOrders: [ChannelName: FIFOBuffer<(id: DeliveryID, sequence: Int)>] = [:]
    private var nextSequence = 0

    var count: Int { letters.count }

    /// Adds `letter`, replacing an older letter of the same delivery.
    mutating func insert(_ letter: DeadLetter) {
        nextSequence += 1
        letters[letter.unit.id] = (letter, nextSequence)
        order.append((letter.unit.id, nextSequence))
        channelOrders[letter.unit.id.channel, default: FIFOBuffer()].append((letter.unit.id, nextSequence))
        compactIfMostlyStale()
    }

    /// Drops the order's entries for letters retried or replaced since, once they outnumber the live ones,
    /// so listing stays O(limit) and the order O(letters), however often letters are retried.
    private mutating func compactIfMostlyStale() {
        guard order.count > 2 * letters.count + 1024 else { return }
        let letters = letters
        order.compact { letters[$0.id]?.sequence == $0.sequence }
        for channel in channelOrders.keys {
            channelOrders[channel]?.compact { letters[$0.id]?.sequence == $0.sequence }
            if channelOrders[channel]?.count == 0 { channelOrders[channel] = nil }
        }
    }

    /// Removes the letter of `id`, if any.
    mutating func remove(_ id: DeliveryID) {
        letters[id] = nil
        compactIfMostlyStale()
    }

    /// Drops letters from the oldest while they are older than `cutoff` or more than `limit` remain.
    mutating func prune(olderThan cutoff: Date, keepingAtMost limit: Int) {
        while let (id, sequence) = order.first {
            if let current = letters[id], current.sequence == sequence {
                guard current.letter.deadAt < cutoff || letters.count > limit else { break }
                letters[id] = nil
            }
            order.removeFirst()
        }
        compactIfMostlyStale()
    }

    /// How many letters each channel has.
    var countsByChannel: [ChannelName: Int] {
        var counts: [ChannelName: Int] = [:]
        for id in letters.keys { counts[id.channel, default: 0] += 1 }
        return counts
    }

    /// The letter of `id`, if it has one.
    func letter(of id: DeliveryID) -> DeadLetter? { letters[id]?.letter }

    /// Up to `limit` letters older than the cursor (a sequence number; nil: from the newest), newest first, of
    /// one channel or all, and the cursor of the next page. Binary search finds the cursor's place, and stale
    /// entries are at most about twice the live ones, so a page costs O(limit) amortized.
    func page(channel: ChannelName?, limit: Int, before cursor: Int?) -> (letters: [DeadLetter], next: Int?) {
        let source = channel.map { channelOrders[$0] ?? FIFOBuffer() } ?? order
        var result: [DeadLetter] = []
        var last: Int?
        for (id, sequence) in source.newestFirst(before: { $0.sequence >= (cursor ?? Int.max) }) {
            guard result.count < limit else { return (result, last) }
            if let current = letters[id], current.sequence == sequence {
                result.append(current.letter)
                last = sequence
            }
        }
        return (result, nil)
    }

    /// The newest `limit` letters, newest first.
    func newest(_ limit: Int) -> [DeadLetter] {
        var result: [DeadLetter] = []
        for (id, sequence) in order.newestFirst {
            guard result.count < limit else { break }
            if let current = letters[id], current.sequence == sequence { result.append(current.letter) }
        }
        return result
    }
}
