/// The curve P-256 (NIST FIPS 186-4, SEC 2 `secp256r1`): `y² = x³ - 3x + b` over the prime field of `p`, with the
/// base point `G` of prime order `n`. Points are projective `(X : Y : Z)` with coordinates in Montgomery form, and
/// are added with the complete formulas of Renes, Costello and Batina (2016, Algorithm 4 for `a = -3`), which have
/// no exceptional cases: the same steps add two distinct points, double a point, or involve the point at infinity.
enum P256 {
    static let field = MontgomeryModulus(limbs(hex: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"))
    static let order = MontgomeryModulus(limbs(hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"))
    static let b = field.toMontgomery(limbs(hex: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"))
    static let generator = Point(
        x: field.toMontgomery(limbs(hex: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")),
        y: field.toMontgomery(limbs(hex: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")),
        z: field.one)

    /// A projective point, coordinates in Montgomery form.
    struct Point {
        var x: [UInt64]
        var y: [UInt64]
        var z: [UInt64]

        /// The point at infinity, `(0 : 1 : 0)`.
        static var infinity: Point {
            Point(x: [0, 0, 0, 0], y: field.one, z: [0, 0, 0, 0])
        }
    }

    /// `P + Q` by the complete addition formula (it doubles too).
    static func add(_ p: Point, _ q: Point) -> Point {
        let f = field
        func mul(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { f.multiply(a, b) }
        func add(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { f.add(a, b) }
        func sub(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { f.subtract(a, b) }
        var t0 = mul(p.x, q.x)
        var t1 = mul(p.y, q.y)
        var t2 = mul(p.z, q.z)
        var t3 = add(p.x, p.y)
        var t4 = add(q.x, q.y)
        t3 = mul(t3, t4)
        t4 = add(t0, t1)
        t3 = sub(t3, t4)
        t4 = add(p.y, p.z)
        var x3 = add(q.y, q.z)
        t4 = mul(t4, x3)
        x3 = add(t1, t2)
        t4 = sub(t4, x3)
        x3 = add(p.x, p.z)
        var y3 = add(q.x, q.z)
        x3 = mul(x3, y3)
        y3 = add(t0, t2)
        y3 = sub(x3, y3)
        var z3 = mul(b, t2)
        x3 = sub(y3, z3)
        z3 = add(x3, x3)
        x3 = add(x3, z3)
        z3 = sub(t1, x3)
        x3 = add(t1, x3)
        y3 = mul(b, y3)
        t1 = add(t2, t2)
        t2 = add(t1, t2)
        y3 = sub(y3, t2)
        y3 = sub(y3, t0)
        t1 = add(y3, y3)
        y3 = add(t1, y3)
        t1 = add(t0, t0)
        t0 = add(t1, t0)
        t0 = sub(t0, t2)
        t1 = mul(t4, y3)
        t2 = mul(t0, y3)
        y3 = mul(x3, z3)
        y3 = add(y3, t2)
        x3 = mul(t3, x3)
        x3 = sub(x3, t1)
        z3 = mul(t4, z3)
        t1 = mul(t3, t0)
        z3 = add(z3, t1)
        return Point(x: x3, y: y3, z: z3)
    }

    /// `k·G` by a Montgomery ladder over all 256 bits of `k` (normal form, below `n`), swapping the two running
    /// points by masks: every bit costs one addition and one doubling, whatever its value.
    static func multiplyGenerator(by k: [UInt64]) -> Point {
        var r0 = Point.infinity
        var r1 = generator
        for bitIndex in stride(from: 255, through: 0, by: -1) {
            let choice = Limbs.mask(k[bitIndex / 64] >> UInt64(bitIndex % 64))
            swap(choice, &r0, &r1)
            r1 = add(r0, r1)
            r0 = add(r0, r0)
            swap(choice, &r0, &r1)
        }
        return r0
    }

    private static func swap(_ choice: UInt64, _ a: inout Point, _ b: inout Point) {
        Limbs.conditionalSwap(choice, &a.x, &b.x)
        Limbs.conditionalSwap(choice, &a.y, &b.y)
        Limbs.conditionalSwap(choice, &a.z, &b.z)
    }

    /// The affine coordinates of `point` in normal form (zeros for the point at infinity, which a scalar in
    /// `1..<n` never gives).
    static func affine(_ point: Point) -> (x: [UInt64], y: [UInt64]) {
        let inverseZ = field.inverse(ofMontgomery: point.z)
        return (field.fromMontgomery(field.multiply(point.x, inverseZ)), field.fromMontgomery(field.multiply(point.y, inverseZ)))
    }

    /// Four little-endian limbs from 64 hex digits (constants only).
    static func limbs(hex: String) -> [UInt64] {
        let digits = Array(hex.utf8)
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            bytes.append(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!)
        }
        return Limbs.fromBigEndian(bytes, count: 4)
    }
}
