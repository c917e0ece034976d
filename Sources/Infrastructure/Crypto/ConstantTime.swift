/// Comparisons whose duration does not depend on where two secrets differ.
package enum ConstantTime {
    /// Whether `first` and `second` hold the same bytes, looking at every byte even after a difference.
    /// Lengths are compared openly: give it fixed-length values (digests), never raw secrets of varying length.
    package static func equals(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        guard first.count == second.count else { return false }
        var difference: UInt8 = 0
        for index in first.indices { difference |= first[index] ^ second[index] }
        return difference == 0
    }
}
