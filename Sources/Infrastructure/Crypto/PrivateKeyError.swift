/// Why a private key could not be read. Messages describe the problem, never the key: no byte of it, no base64.
package enum PrivateKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `-----BEGIN ...-----` / `-----END ...-----` block.
    case notPEM
    /// A PEM block of a kind Herald does not read (the label only).
    case unsupportedPEMLabel(String)
    /// `ENCRYPTED PRIVATE KEY`: Herald takes keys without a passphrase.
    case encryptedKeyUnsupported
    /// A public key or a certificate where a private key belongs.
    case publicKeyNotPrivate(String)
    /// The body of the PEM block is not base64.
    case malformedBase64
    /// The DER structure is broken (what is wrong, structurally).
    case malformedDER(String)
    /// A key algorithm other than EC and RSA (its object identifier).
    case unsupportedKeyAlgorithm(String)
    /// An EC key on a curve other than P-256 (its object identifier).
    case unsupportedCurve(String)
    /// An RSA key outside 2048–4096 bits.
    case rsaKeySize(bits: Int)
    /// A key whose numbers are inconsistent or out of range.
    case invalidKey(String)

    package var description: String {
        switch self {
        case .notPEM: "the text holds no PEM block (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)"
        case .unsupportedPEMLabel(let label): "a PEM block \"\(label)\" is not a private key Herald reads (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)"
        case .encryptedKeyUnsupported: "the key is encrypted (ENCRYPTED PRIVATE KEY); give it without a passphrase (openssl pkcs8 -nocrypt)"
        case .publicKeyNotPrivate(let label): "the PEM block is a \(label), not a private key"
        case .malformedBase64: "the PEM block's body is not valid base64"
        case .malformedDER(let what): "the key's DER is malformed: \(what)"
        case .unsupportedKeyAlgorithm(let oid): "the key's algorithm \(oid) is neither EC nor RSA"
        case .unsupportedCurve(let oid): "the EC key's curve \(oid) is not P-256 (prime256v1, 1.2.840.10045.3.1.7)"
        case .rsaKeySize(let bits): "the RSA key has \(bits) bits; Herald signs with 2048 to 4096"
        case .invalidKey(let why): "the key is invalid: \(why)"
        }
    }
}
