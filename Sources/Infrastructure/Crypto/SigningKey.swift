/// A private key Herald signs JWTs with: P-256 for ES256 (APNs) or RSA for RS256 (Google service accounts).
package enum SigningKey: Sendable {
    case p256(P256PrivateKey)
    case rsa(RSAPrivateKey)

    /// Reads the first private key of PEM text: `PRIVATE KEY` (PKCS#8, RFC 5208, holding an EC P-256 or an RSA key),
    /// `EC PRIVATE KEY` (SEC1, RFC 5915, P-256 only) or `RSA PRIVATE KEY` (PKCS#1, RFC 8017). Other blocks before it
    /// (`EC PARAMETERS`, as `openssl ecparam -genkey` writes) are skipped.
    package static func parse(pem: String) throws(PrivateKeyError) -> SigningKey {
        let blocks = try PEMBlock.blocks(in: pem)
        guard !blocks.isEmpty else { throw .notPEM }
        for block in blocks {
            switch block.label {
            case "PRIVATE KEY": return try pkcs8(block.der)
            case "EC PRIVATE KEY": return .p256(try sec1(block.der[...], curveFromAlgorithm: nil))
            case "RSA PRIVATE KEY": return .rsa(try pkcs1(block.der[...]))
            case "EC PARAMETERS": continue
            case "ENCRYPTED PRIVATE KEY": throw .encryptedKeyUnsupported
            case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "EC PUBLIC KEY": throw .publicKeyNotPrivate(block.label)
            default: throw .unsupportedPEMLabel(String(block.label.prefix(40)))
            }
        }
        throw .notPEM
    }

    /// `"ES256"` or `"RS256"`: the JWS `alg` this key signs.
    package var algorithm: String {
        switch self {
        case .p256: "ES256"
        case .rsa: "RS256"
        }
    }

    /// The JWS signature of `message`: 64 bytes `r || s` for ES256, the modulus' length for RS256.
    package func signature(for message: some Sequence<UInt8>) -> [UInt8] {
        switch self {
        case .p256(let key): key.signature(for: message)
        case .rsa(let key): key.signature(for: message)
        }
    }

    /// PrivateKeyInfo: `SEQUENCE { version, AlgorithmIdentifier { oid, parameters }, OCTET STRING key, ... }`.
    private static func pkcs8(_ der: [UInt8]) throws(PrivateKeyError) -> SigningKey {
        var outer = DERReader(der[...])
        var info = try outer.sequence("the PrivateKeyInfo")
        guard outer.isAtEnd else { throw .malformedDER("data follows the PrivateKeyInfo") }
        let version = try info.smallInteger("the PKCS#8 version")
        guard version == 0 || version == 1 else { throw .malformedDER("the PKCS#8 version is \(version)") }
        var algorithm = try info.sequence("the key's AlgorithmIdentifier")
        let oid = try algorithm.objectIdentifier("the key's algorithm")
        let key = try info.next(DERElement.octetString, "the private key").contents
        switch oid {
        case KeyOID.ecPublicKey:
            var curve: String?
            if !algorithm.isAtEnd { curve = try algorithm.objectIdentifier("the EC key's curve") }
            return .p256(try sec1(key, curveFromAlgorithm: curve))
        case KeyOID.rsaEncryption:
            return .rsa(try pkcs1(key))
        default:
            throw .unsupportedKeyAlgorithm(oid)
        }
    }

    /// ECPrivateKey: `SEQUENCE { version 1, OCTET STRING d, [0] curve OPTIONAL, [1] BIT STRING public OPTIONAL }`.
    private static func sec1(_ der: ArraySlice<UInt8>, curveFromAlgorithm: String?) throws(PrivateKeyError) -> P256PrivateKey {
        var outer = DERReader(der)
        var key = try outer.sequence("the ECPrivateKey")
        guard try key.smallInteger("the ECPrivateKey version") == 1 else { throw .malformedDER("the ECPrivateKey version is not 1") }
        let scalar = Array(try key.next(DERElement.octetString, "the EC private scalar").contents)
        var curve = curveFromAlgorithm
        var embeddedPublicKey: [UInt8]?
        while !key.isAtEnd {
            let element = try key.next()
            var inner = DERReader(element.contents)
            switch element.tag {
            case 0xa0:
                let named = try inner.objectIdentifier("the EC key's curve")
                if let curve, curve != named { throw .invalidKey("the key names two different curves") }
                curve = named
            case 0xa1:
                let bits = try inner.next(DERElement.bitString, "the EC public key").contents
                guard bits.first == 0 else { throw .malformedDER("the EC public key has unused bits") }
                embeddedPublicKey = Array(bits.dropFirst())
            default:
                throw .malformedDER("the ECPrivateKey has an unknown field")
            }
        }
        guard let curve else { throw .invalidKey("the EC key names no curve") }
        guard curve == KeyOID.prime256v1 else { throw .unsupportedCurve(curve) }
        let padded = Array(scalar.drop { $0 == 0 })
        guard padded.count <= 32, scalar.count <= 33 else { throw .invalidKey("the P-256 private scalar is longer than 32 bytes") }
        let privateKey = try P256PrivateKey(scalar: [UInt8](repeating: 0, count: 32 - padded.count) + padded)
        if let embeddedPublicKey, embeddedPublicKey != privateKey.publicKey {
            throw .invalidKey("the embedded public key does not belong to the private key")
        }
        return privateKey
    }

    /// RSAPrivateKey: `SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv }`.
    private static func pkcs1(_ der: ArraySlice<UInt8>) throws(PrivateKeyError) -> RSAPrivateKey {
        var outer = DERReader(der)
        var key = try outer.sequence("the RSAPrivateKey")
        guard try key.smallInteger("the RSAPrivateKey version") == 0 else {
            throw .malformedDER("the RSAPrivateKey version is not 0 (multi-prime keys are not supported)")
        }
        let names = ["modulus", "public exponent", "private exponent", "prime 1", "prime 2", "exponent 1", "exponent 2", "coefficient"]
        var values: [[UInt8]] = []
        for name in names { values.append(try key.unsignedInteger("the RSA \(name)")) }
        return try RSAPrivateKey(
            modulus: values[0], publicExponent: values[1], privateExponent: values[2], prime1: values[3], prime2: values[4],
            exponent1: values[5], exponent2: values[6], coefficient: values[7])
    }
}
