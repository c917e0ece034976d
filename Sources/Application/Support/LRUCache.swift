/// A map holding at most ``capacity`` entries: inserting past it evicts the least recently used one.
/// Lookups and inserts are O(1) (a dictionary over a doubly linked list kept in arrays). Not thread-safe:
/// keep it inside a `Mutex`.
package struct LRUCache<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    package let capacity: Int
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var index: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    package var count: Int { index.count }

    /// The value of `key`, marking it most recently used.
    package mutating func value(for key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        touch(slot)
        return nodes[slot].value
    }

    /// The value of `key`, without changing the order.
    package func peek(_ key: Key) -> Value? {
        index[key].map { nodes[$0].value }
    }

    /// Inserts or replaces `key`, marking it most recently used; evicts the oldest entry when full.
    package mutating func set(_ value: Value, for key: Key) {
        if let slot = index[key] {
            nodes[slot].value = value
            touch(slot)
            return
        }
        if index.count >= capacity, let victim = oldest { remove(slot: victim) }
        let node = Node(key: key, value: value, newer: nil, older: newest)
        let slot: Int
        if let reused = free.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if let previous = newest { nodes[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
        index[key] = slot
    }

    /// Removes `key`, if present.
    package mutating func removeValue(for key: Key) {
        if let slot = index[key] { remove(slot: slot) }
    }

    private mutating func touch(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        nodes[slot].older = newest
        nodes[slot].newer = nil
        if let previous = newest { nodes[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if let newer = node.newer { nodes[newer].older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older].newer = node.newer } else { oldest = node.newer }
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        index[nodes[slot].key] = nil
        free.append(slot)
    }
}
