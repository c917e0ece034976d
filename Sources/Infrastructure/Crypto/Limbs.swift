/// Unsigned big integers as little-endian arrays of 64-bit limbs, for the fixed-size arithmetic of P-256 and RSA.
/// Every function here runs the same instructions whatever the limbs hold: no branch, no early exit and no
/// memory index depends on a value, so a secret's bits cannot be read off timing.
enum Limbs {
    /// `x + y * z + carry` as (high, low).
    @inline(__always)
    static func multiplyAdd(_ x: UInt64, _ y: UInt64, _ z: UInt64, _ carry: UInt64) -> (high: UInt64, low: UInt64) {
        let product = y.multipliedFullWidth(by: z)
        let (sum, overflow1) = product.low.addingReportingOverflow(x)
        let (low, overflow2) = sum.addingReportingOverflow(carry)
        return (product.high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0), low)
    }

    /// All ones when `bit` is 1, zero when it is 0.
    @inline(__always)
    static func mask(_ bit: UInt64) -> UInt64 { 0 &- (bit & 1) }

    /// All ones when `a == b`, else zero, computed without a comparison.
    @inline(__always)
    static func equalMask(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let difference = a ^ b
        return ((difference | (0 &- difference)) >> 63) &- 1
    }

    /// `a - b` over `a.count` limbs (b padded with zeros) and the final borrow (0 or 1).
    static func subtract(_ a: [UInt64], _ b: [UInt64]) -> (difference: [UInt64], borrow: UInt64) {
        var result = [UInt64](repeating: 0, count: a.count)
        var borrow: UInt64 = 0
        for index in 0..<a.count {
            let right = index < b.count ? b[index] : 0
            let (partial, overflow1) = a[index].subtractingReportingOverflow(right)
            let (value, overflow2) = partial.subtractingReportingOverflow(borrow)
            result[index] = value
            borrow = (overflow1 ? 1 : 0) | (overflow2 ? 1 : 0)
        }
        return (result, borrow)
    }

    /// `a + b` over `a.count` limbs (b padded with zeros) and the final carry (0 or 1).
    static func add(_ a: [UInt64], _ b: [UInt64]) -> (sum: [UInt64], carry: UInt64) {
        var result = [UInt64](repeating: 0, count: a.count)
        var carry: UInt64 = 0
        for index in 0..<a.count {
            let right = index < b.count ? b[index] : 0
            let (partial, overflow1) = a[index].addingReportingOverflow(right)
            let (value, overflow2) = partial.addingReportingOverflow(carry)
            result[index] = value
            carry = (overflow1 ? 1 : 0) | (overflow2 ? 1 : 0)
        }
        return (result, carry)
    }

    /// `choice` (all ones or zero) selects `a`, else `b`, limb by limb.
    static func select(_ choice: UInt64, _ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: a.count)
        for index in 0..<a.count { result[index] = (a[index] & choice) | (b[index] & ~choice) }
        return result
    }

    /// Swaps `a` and `b` when `choice` is all ones.
    static func conditionalSwap(_ choice: UInt64, _ a: inout [UInt64], _ b: inout [UInt64]) {
        for index in 0..<a.count {
            let difference = (a[index] ^ b[index]) & choice
            a[index] ^= difference
            b[index] ^= difference
        }
    }

    /// All ones when every limb of `a` is zero.
    static func isZeroMask(_ a: [UInt64]) -> UInt64 {
        var accumulated: UInt64 = 0
        for limb in a { accumulated |= limb }
        return equalMask(accumulated, 0)
    }

    /// All ones when `a < b` (same limb count).
    static func lessThanMask(_ a: [UInt64], _ b: [UInt64]) -> UInt64 {
        mask(subtract(a, b).borrow)
    }

    /// Big-endian bytes to `count` limbs; bytes beyond `count * 8` are not allowed (callers check the length).
    static func fromBigEndian(_ bytes: some Collection<UInt8>, count: Int) -> [UInt64] {
        var limbs = [UInt64](repeating: 0, count: count)
        for (offset, byte) in bytes.reversed().enumerated() where offset < count * 8 {
            limbs[offset / 8] |= UInt64(byte) << (UInt64(offset % 8) * 8)
        }
        return limbs
    }

    /// The limbs as `length` big-endian bytes (the high limbs beyond `length` are dropped).
    static func toBigEndian(_ limbs: [UInt64], length: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        for offset in 0..<length {
            let limb = offset / 8
            guard limb < limbs.count else { break }
            bytes[length - 1 - offset] = UInt8(truncatingIfNeeded: limbs[limb] >> (UInt64(offset % 8) * 8))
        }
        return bytes
    }

    /// The schoolbook product of `a` and `b`: `a.count + b.count` limbs.
    static func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            for j in 0..<b.count {
                (carry, result[i + j]) = multiplyAdd(result[i + j], a[i], b[j], carry)
            }
            result[i + b.count] = carry
        }
        return result
    }

    /// The number of significant bits of a public value (branches on it: only for moduli and public exponents).
    static func bitLength(ofPublic a: [UInt64]) -> Int {
        guard let top = a.lastIndex(where: { $0 != 0 }) else { return 0 }
        return top * 64 + (64 - a[top].leadingZeroBitCount)
    }
}
