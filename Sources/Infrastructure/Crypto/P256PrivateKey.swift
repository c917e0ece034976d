/// A P-256 private key signing ES256: ECDSA with SHA-256 (FIPS 186-4) and the deterministic nonces of RFC 6979, so
/// no random number generator can leak the key, and a signature is reproducible.
package struct P256PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The scalar `d`, normal form.
    private let scalar: [UInt64]
    /// The 65-byte uncompressed SEC1 public point `04 || X || Y`.
    package let publicKey: [UInt8]

    /// - Parameter scalar: 32 big-endian bytes (shorter ones are left-padded), `1 ≤ d < n`.
    package init(scalar bytes: [UInt8]) throws(PrivateKeyError) {
        guard bytes.count <= 32 else { throw .invalidKey("a P-256 private scalar has at most 32 bytes") }
        let d = Limbs.fromBigEndian(bytes, count: 4)
        guard Limbs.isZeroMask(d) == 0, Limbs.lessThanMask(d, P256.order.modulus) != 0 else {
            throw .invalidKey("the P-256 private scalar is not between 1 and the group order")
        }
        scalar = d
        let point = P256.affine(P256.multiplyGenerator(by: d))
        publicKey = [0x04] + Limbs.toBigEndian(point.x, length: 32) + Limbs.toBigEndian(point.y, length: 32)
    }

    /// The public key as a DER SubjectPublicKeyInfo (id-ecPublicKey, prime256v1), as `openssl pkey -pubout` writes it.
    package var publicKeyDER: [UInt8] {
        DERWriter.sequence([
            DERWriter.sequence([DERWriter.objectIdentifier(KeyOID.ecPublicKey), DERWriter.objectIdentifier(KeyOID.prime256v1)]),
            DERWriter.bitString(publicKey),
        ])
    }

    /// The ES256 signature of `message`: SHA-256, then ``signature(forDigest:)``.
    package func signature(for message: some Sequence<UInt8>) -> [UInt8] {
        signature(forDigest: SHA256.hash(message))
    }

    /// The 64-byte signature `r || s` of a 32-byte SHA-256 digest, with `k` from RFC 6979 §3.2.
    package func signature(forDigest digest: [UInt8]) -> [UInt8] {
        let order = P256.order
        let z = Self.reducedModuloOrder(digest)
        var nonces = RFC6979Nonces(key: Limbs.toBigEndian(scalar, length: 32), digestModuloOrder: Limbs.toBigEndian(z, length: 32))
        while true {
            let k = nonces.next()
            let point = P256.affine(P256.multiplyGenerator(by: k))
            let r = Self.reducedModuloOrder(Limbs.toBigEndian(point.x, length: 32))
            // s = k⁻¹ (z + r·d) mod n, in Montgomery form throughout.
            let kInverse = order.inverse(ofMontgomery: order.toMontgomery(k))
            let rd = order.multiply(order.toMontgomery(r), order.toMontgomery(scalar))
            let sum = order.add(order.toMontgomery(z), rd)
            let s = order.fromMontgomery(order.multiply(kInverse, sum))
            // r or s zero happens with probability about 2⁻²⁵⁶; RFC 6979 then takes the next k.
            if Limbs.isZeroMask(r) == 0, Limbs.isZeroMask(s) == 0 {
                return Limbs.toBigEndian(r, length: 32) + Limbs.toBigEndian(s, length: 32)
            }
        }
    }

    /// A 256-bit big-endian value reduced modulo `n` (one masked subtraction suffices: `2²⁵⁶ < 2n`).
    private static func reducedModuloOrder(_ bytes: [UInt8]) -> [UInt64] {
        let value = Limbs.fromBigEndian(bytes, count: 4)
        let (difference, borrow) = Limbs.subtract(value, P256.order.modulus)
        return Limbs.select(Limbs.mask(borrow), value, difference)
    }

    package var description: String { "P256PrivateKey(<redacted>)" }
    package var debugDescription: String { description }
}

/// The nonces of RFC 6979 §3.2 for a 256-bit order and SHA-256 (HMAC_DRBG): `k` candidates in `[1, n)`.
struct RFC6979Nonces {
    private var v = [UInt8](repeating: 0x01, count: 32)
    private var k = [UInt8](repeating: 0x00, count: 32)

    /// - Parameters: the private key and the digest reduced modulo `n`, each as 32 big-endian bytes (`int2octets`
    ///   and `bits2octets` of §2.3).
    init(key: [UInt8], digestModuloOrder: [UInt8]) {
        k = HMACSHA256.authenticationCode(for: v + [0x00] + key + digestModuloOrder, key: k)
        v = HMACSHA256.authenticationCode(for: v, key: k)
        k = HMACSHA256.authenticationCode(for: v + [0x01] + key + digestModuloOrder, key: k)
        v = HMACSHA256.authenticationCode(for: v, key: k)
    }

    /// The next candidate in `[1, n)` (step h of §3.2; a candidate outside, with probability about 2⁻³², is skipped).
    mutating func next() -> [UInt64] {
        while true {
            v = HMACSHA256.authenticationCode(for: v, key: k)
            let candidate = Limbs.fromBigEndian(v, count: 4)
            let inRange = Limbs.isZeroMask(candidate) == 0 && Limbs.lessThanMask(candidate, P256.order.modulus) != 0
            k = HMACSHA256.authenticationCode(for: v + [0x00], key: k)
            v = HMACSHA256.authenticationCode(for: v, key: k)
            if inRange { return candidate }
        }
    }
}
