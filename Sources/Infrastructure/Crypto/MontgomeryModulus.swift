/// Arithmetic modulo an odd number `m` of `count` limbs in Montgomery form (`x·R mod m`, `R = 2^(64·count)`):
/// the P-256 field and group order, and RSA's primes and modulus. Multiplication is CIOS (Koç et al. 1996) with a
/// final subtraction chosen by a mask, so no step depends on the values; the modulus itself may be secret (an RSA
/// prime): nothing here branches on it either, except ``init(_:)``'s public bookkeeping of its length.
struct MontgomeryModulus: Sendable {
    let modulus: [UInt64]
    let count: Int
    /// `-m⁻¹ mod 2^64`.
    private let negatedInverse: UInt64
    /// `R² mod m`, which turns a number into Montgomery form.
    private let rSquared: [UInt64]
    /// `R mod m`: one in Montgomery form.
    let one: [UInt64]

    /// - Parameter modulus: an odd number, little-endian limbs, the top limb not zero.
    init(_ modulus: [UInt64]) {
        self.modulus = modulus
        count = modulus.count
        var inverse: UInt64 = 1
        for _ in 0..<6 { inverse = inverse &* (2 &- modulus[0] &* inverse) }
        negatedInverse = 0 &- inverse
        var value = [UInt64](repeating: 0, count: modulus.count)
        value[0] = 1
        var doubled = value
        for _ in 0..<(128 * modulus.count) { doubled = Self.double(doubled, modulo: modulus) }
        rSquared = doubled
        one = Self.montgomeryMultiply(value, rSquared, modulus, self.negatedInverse)
    }

    /// `2x mod m` for `x < m`.
    private static func double(_ x: [UInt64], modulo m: [UInt64]) -> [UInt64] {
        let (sum, carry) = Limbs.add(x, x)
        let (difference, borrow) = Limbs.subtract(sum, m)
        // Keep the sum only when it was below m: no carry out and a borrow from subtracting m.
        return Limbs.select(Limbs.mask(borrow & ~carry), sum, difference)
    }

    /// `a·b·R⁻¹ mod m` for `a, b < m`.
    func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        Self.montgomeryMultiply(a, b, modulus, negatedInverse)
    }

    private static func montgomeryMultiply(_ a: [UInt64], _ b: [UInt64], _ m: [UInt64], _ inverse: UInt64) -> [UInt64] {
        let count = m.count
        var t = [UInt64](repeating: 0, count: count + 2)
        t.withUnsafeMutableBufferPointer { t in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    m.withUnsafeBufferPointer { m in
                        for i in 0..<count {
                            var carry: UInt64 = 0
                            let bi = b[i]
                            for j in 0..<count { (carry, t[j]) = Limbs.multiplyAdd(t[j], a[j], bi, carry) }
                            let (sum, overflow) = t[count].addingReportingOverflow(carry)
                            t[count] = sum
                            t[count + 1] = overflow ? 1 : 0
                            let factor = t[0] &* inverse
                            (carry, _) = Limbs.multiplyAdd(t[0], factor, m[0], 0)
                            for j in 1..<count { (carry, t[j - 1]) = Limbs.multiplyAdd(t[j], factor, m[j], carry) }
                            let (top, overflowTop) = t[count].addingReportingOverflow(carry)
                            t[count - 1] = top
                            t[count] = t[count + 1] &+ (overflowTop ? 1 : 0)
                        }
                    }
                }
            }
        }
        return finalSubtraction(Array(t[0...count]), m)
    }

    /// `x` (count + 1 limbs, below 2m) reduced below m by one masked subtraction.
    private static func finalSubtraction(_ x: [UInt64], _ m: [UInt64]) -> [UInt64] {
        let (difference, borrow) = Limbs.subtract(x, m)
        return Array(Limbs.select(Limbs.mask(borrow), x, difference).prefix(m.count))
    }

    /// `a + b mod m` for `a, b < m` (either form).
    func add(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        let (sum, carry) = Limbs.add(a, b)
        return Self.finalSubtraction(sum + [carry], modulus)
    }

    /// `a - b mod m` for `a, b < m` (either form).
    func subtract(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        let (difference, borrow) = Limbs.subtract(a, b)
        let (corrected, _) = Limbs.add(difference, modulus)
        return Limbs.select(Limbs.mask(borrow), corrected, difference)
    }

    /// `x·R mod m` for `x < m`.
    func toMontgomery(_ x: [UInt64]) -> [UInt64] { multiply(x, rSquared) }

    /// `x·R⁻¹ mod m`: back from Montgomery form.
    func fromMontgomery(_ x: [UInt64]) -> [UInt64] {
        var unit = [UInt64](repeating: 0, count: count)
        unit[0] = 1
        return multiply(x, unit)
    }

    /// `x mod m` (normal form) for any `x` of up to `2·count` limbs below `m·R`: a Montgomery reduction, then a
    /// multiplication by `R²` to undo its `R⁻¹`.
    func reduce(_ x: [UInt64]) -> [UInt64] {
        var t = [UInt64](repeating: 0, count: 2 * count + 1)
        for index in 0..<min(x.count, 2 * count) { t[index] = x[index] }
        for i in 0..<count {
            let factor = t[i] &* negatedInverse
            var carry: UInt64 = 0
            for j in 0..<count { (carry, t[i + j]) = Limbs.multiplyAdd(t[i + j], factor, modulus[j], carry) }
            for j in (i + count)..<(2 * count + 1) {
                let (sum, overflow) = t[j].addingReportingOverflow(carry)
                t[j] = sum
                carry = overflow ? 1 : 0
            }
        }
        let reduced = Self.finalSubtraction(Array(t[count...(2 * count)]), modulus)
        return multiply(reduced, rSquared)
    }

    /// `base^exponent` in Montgomery form (`base` in Montgomery form), by fixed 4-bit windows: every window squares
    /// four times and multiplies by a table entry read in full, whatever the exponent's bits, so a secret exponent
    /// takes the same steps as any other of its length.
    /// - Parameter exponent: big-endian bytes; its length (not its value) sets the number of steps.
    func power(_ base: [UInt64], _ exponent: [UInt8]) -> [UInt64] {
        var table = [one, base]
        for _ in 2..<16 { table.append(multiply(table[table.count - 1], base)) }
        var result = one
        for byte in exponent {
            for nibble in [byte >> 4, byte & 0x0f] {
                for _ in 0..<4 { result = multiply(result, result) }
                result = multiply(result, Self.lookup(table, UInt64(nibble)))
            }
        }
        return result
    }

    /// `table[index]`, reading every entry.
    private static func lookup(_ table: [[UInt64]], _ index: UInt64) -> [UInt64] {
        var selected = [UInt64](repeating: 0, count: table[0].count)
        for (position, entry) in table.enumerated() {
            let choice = Limbs.equalMask(UInt64(position), index)
            for limb in 0..<entry.count { selected[limb] |= entry[limb] & choice }
        }
        return selected
    }

    /// `a⁻¹ mod m` in Montgomery form, for a prime `m`, by Fermat (`a^(m-2)`); the exponent is public.
    func inverse(ofMontgomery a: [UInt64]) -> [UInt64] {
        var exponent = modulus
        exponent[0] -= 2
        return power(a, Limbs.toBigEndian(exponent, length: count * 8))
    }
}
