import HeraldCrypto

extension HeraldAPI {
    /// One API key and the scopes it grants.
    ///
    /// It keeps only the key's SHA-256 digest, so the key itself cannot end up in a log, a dump or an error;
    /// presented keys are hashed and compared with every configured digest in constant time.
    public struct APIKey: Sendable, CustomStringConvertible {
        /// Keys shorter than this are refused by `herald.json` validation; generate at least 32 random characters.
        public static let minimumLength = 16

        let digest: [UInt8]
        /// The scopes a request with this key may use.
        public let scopes: Set<Scope>

        /// - Parameters:
        ///   - key: the bearer token clients send (`Authorization: Bearer <key>`).
        ///   - scopes: what the key may do.
        public init(_ key: String, scopes: Set<Scope>) {
            digest = SHA256.hash(Array(key.utf8))
            self.scopes = scopes
        }

        public var description: String {
            "APIKey(scopes: \(Scope.all.filter(scopes.contains).map(\.rawValue).joined(separator: ", ")))"
        }

        /// Whether `presented` is this key's digest, looking at every byte.
        func matches(digest presented: [UInt8]) -> Bool {
            ConstantTime.equals(digest, presented)
        }
    }
}
