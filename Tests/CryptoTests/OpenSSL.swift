import Foundation
import HeraldTestSupport

/// Runs `openssl` and Python's `cryptography` for the tests: keys Herald did not make, and a verifier Herald did
/// not write.
enum Independent {
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        try OneShotCommand.run(executable, arguments, input: input)
    }

    static func openssl(_ arguments: String..., input: Data? = nil) throws -> Data {
        try run("/usr/bin/openssl", arguments, input: input)
    }

    /// A temporary folder, removed by the caller.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// One signature for the verifier: the public key (SubjectPublicKeyInfo DER), the message and the signature.
    struct Case: Encodable {
        let alg: String
        let key: String
        let message: String
        let signature: String
    }

    /// Whether Python's `cryptography` accepts each signature (ES256 as JWS `r || s`, RS256 as PKCS#1 v1.5).
    static func verify(_ cases: [Case]) throws -> [Bool] {
        let script = #"""
            import json, sys
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
            results = []
            for case in json.load(sys.stdin):
                key = serialization.load_der_public_key(bytes.fromhex(case["key"]))
                message, signature = bytes.fromhex(case["message"]), bytes.fromhex(case["signature"])
                try:
                    if case["alg"] == "ES256":
                        if len(signature) != 64: raise InvalidSignature()
                        der = utils.encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
                        key.verify(der, message, ec.ECDSA(hashes.SHA256()))
                    else:
                        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
                    results.append(True)
                except InvalidSignature:
                    results.append(False)
            print(json.dumps(results))
            """#
        let output = try run("/usr/bin/python3", ["-c", script], input: try JSONEncoder().encode(cases))
        return try JSONDecoder().decode([Bool].self, from: output)
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }

    init(hex: String) {
        let digits = Array(hex.utf8)
        self = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
