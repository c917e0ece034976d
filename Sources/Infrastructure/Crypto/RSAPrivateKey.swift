/// An RSA private key signing RS256: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2), by the Chinese remainder
/// theorem with a constant-time exponentiation modulo each prime, and the result checked with the public exponent
/// before it is returned (a fault in the CRT would otherwise leak a prime); 2048 to 4096 bits.
package struct RSAPrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The modulus' length in bits.
    package let modulusBits: Int
    private let modulusBytes: Int
    private let n: MontgomeryModulus
    private let publicExponent: [UInt8]
    private let privateExponent: [UInt8]
    private let p: MontgomeryModulus
    private let q: MontgomeryModulus
    private let exponentP: [UInt8]
    private let exponentQ: [UInt8]
    /// `q⁻¹ mod p` in Montgomery form modulo p.
    private let coefficient: [UInt64]
    /// The public key as a DER SubjectPublicKeyInfo, as `openssl pkey -pubout -outform DER` writes it.
    package let publicKeyDER: [UInt8]

    /// The DigestInfo prefix of SHA-256 (RFC 8017 §9.2, note 1).
    private static let sha256DigestInfo: [UInt8] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
    ]

    /// A key from its PKCS#1 components, each big-endian.
    /// - Throws: ``PrivateKeyError/rsaKeySize(bits:)`` outside 2048–4096 bits, ``PrivateKeyError/invalidKey(_:)`` when
    ///   the numbers do not belong together (`p·q ≠ n`, even primes, exponents out of range).
    package init(
        modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8], prime1: [UInt8], prime2: [UInt8],
        exponent1: [UInt8], exponent2: [UInt8], coefficient: [UInt8]
    ) throws(PrivateKeyError) {
        let modulusBytes = Array(modulus.drop { $0 == 0 })
        let limbCount = (modulusBytes.count + 7) / 8
        let nLimbs = Limbs.fromBigEndian(modulusBytes, count: max(limbCount, 1))
        let bits = Limbs.bitLength(ofPublic: nLimbs)
        guard (2048...4096).contains(bits) else { throw .rsaKeySize(bits: bits) }
        guard nLimbs[0] & 1 == 1 else { throw .invalidKey("the RSA modulus is even") }
        let e = Array(publicExponent.drop { $0 == 0 })
        guard (1...4).contains(e.count), e.last! & 1 == 1, e != [1] else { throw .invalidKey("the RSA public exponent is unusable") }
        let primeBytes = max(prime1.count, prime2.count)
        let primeLimbs = (primeBytes + 7) / 8
        guard primeLimbs * 2 >= limbCount, primeLimbs * 2 <= limbCount + 1 else {
            throw .invalidKey("the RSA primes are not of equal size")
        }
        let pLimbs = Limbs.fromBigEndian(prime1, count: primeLimbs)
        let qLimbs = Limbs.fromBigEndian(prime2, count: primeLimbs)
        guard pLimbs.last != 0, qLimbs.last != 0, pLimbs[0] & 1 == 1, qLimbs[0] & 1 == 1 else {
            throw .invalidKey("the RSA primes are not of equal size, or even")
        }
        let product = Limbs.multiply(pLimbs, qLimbs)
        guard Limbs.isZeroMask(Limbs.subtract(product, nLimbs).difference) != 0, product.count >= nLimbs.count else {
            throw .invalidKey("the RSA primes do not multiply to the modulus")
        }
        let pModulus = MontgomeryModulus(pLimbs)
        let qModulus = MontgomeryModulus(qLimbs)
        func exponent(_ bytes: [UInt8], below modulus: [UInt64]) throws(PrivateKeyError) -> [UInt8] {
            guard bytes.drop(while: { $0 == 0 }).count <= modulus.count * 8 else { throw .invalidKey("an RSA exponent is out of range") }
            let value = Limbs.fromBigEndian(bytes.drop { $0 == 0 }, count: modulus.count)
            guard Limbs.lessThanMask(value, modulus) != 0 else { throw .invalidKey("an RSA exponent is out of range") }
            return Limbs.toBigEndian(value, length: modulus.count * 8)
        }
        self.modulusBits = bits
        self.modulusBytes = (bits + 7) / 8
        n = MontgomeryModulus(nLimbs)
        self.publicExponent = e
        self.privateExponent = try exponent(privateExponent, below: nLimbs)
        p = pModulus
        q = qModulus
        exponentP = try exponent(exponent1, below: pLimbs)
        exponentQ = try exponent(exponent2, below: qLimbs)
        let coefficientValue = Limbs.fromBigEndian(coefficient.drop { $0 == 0 }, count: primeLimbs)
        guard coefficient.drop(while: { $0 == 0 }).count <= primeLimbs * 8, Limbs.lessThanMask(coefficientValue, pLimbs) != 0 else {
            throw .invalidKey("the RSA coefficient is out of range")
        }
        self.coefficient = pModulus.toMontgomery(coefficientValue)
        publicKeyDER = DERWriter.sequence([
            DERWriter.sequence([DERWriter.objectIdentifier(KeyOID.rsaEncryption), DERWriter.null()]),
            DERWriter.bitString(DERWriter.sequence([DERWriter.unsignedInteger(modulusBytes), DERWriter.unsignedInteger(e)])),
        ])
        // The key must sign what its public half verifies: one signature, checked here, catches components that
        // belong to different keys (a wrong d or coefficient) at load rather than at the first send.
        let probe = Limbs.fromBigEndian(Self.encode(digest: SHA256.hash([UInt8]()), length: self.modulusBytes), count: n.count)
        guard raw(probe) == probe else { throw .invalidKey("the RSA private numbers do not match the public key") }
    }

    /// The RS256 signature of `message`: `modulusBits / 8` bytes.
    package func signature(for message: some Sequence<UInt8>) -> [UInt8] {
        let encoded = Self.encode(digest: SHA256.hash(message), length: modulusBytes)
        let m = Limbs.fromBigEndian(encoded, count: n.count)
        return Limbs.toBigEndian(sign(m), length: modulusBytes)
    }

    /// EMSA-PKCS1-v1_5: `00 01 FF…FF 00 || DigestInfo || digest`, `length` bytes.
    private static func encode(digest: [UInt8], length: Int) -> [UInt8] {
        let tail = sha256DigestInfo + digest
        return [0x00, 0x01] + [UInt8](repeating: 0xff, count: length - tail.count - 3) + [0x00] + tail
    }

    /// `m^d mod n` by CRT, checked with `e`; a result that does not check is recomputed without the CRT.
    private func sign(_ m: [UInt64]) -> [UInt64] {
        let signature = crt(m)
        if verify(signature) == m { return signature }
        return n.fromMontgomery(n.power(n.toMontgomery(m), privateExponent))
    }

    /// `s^e mod n`.
    private func verify(_ s: [UInt64]) -> [UInt64] {
        n.fromMontgomery(n.power(n.toMontgomery(s), publicExponent))
    }

    /// The signature of `m` (for the load check: sign, then verify).
    private func raw(_ m: [UInt64]) -> [UInt64] { verify(crt(m)) }

    /// Garner's recombination: `m2 + q·(q⁻¹·(m1 - m2) mod p)`.
    private func crt(_ m: [UInt64]) -> [UInt64] {
        let m1 = p.fromMontgomery(p.power(p.toMontgomery(p.reduce(m)), exponentP))
        let m2 = q.fromMontgomery(q.power(q.toMontgomery(q.reduce(m)), exponentQ))
        let difference = p.subtract(m1, p.reduce(m2))
        let h = p.multiply(difference, coefficient)
        let sum = Limbs.add(Limbs.multiply(h, q.modulus), m2).sum
        return Array(sum.prefix(n.count))
    }

    package var description: String { "RSAPrivateKey(\(modulusBits) bits, <redacted>)" }
    package var debugDescription: String { description }
}
