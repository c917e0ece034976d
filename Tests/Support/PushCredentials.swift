public import Foundation

/// Throwaway push credentials made by `openssl` for one test, and an independent check of Herald's JWTs
/// (Python's `cryptography` package, Debian's python3-cryptography).
public struct PushCredentials: Sendable {
    /// An APNs-style `.p8` key: PKCS#8 PEM of a P-256 key.
    public let p256PEM: String
    /// Its public key, PEM (SubjectPublicKeyInfo).
    public let p256PublicPEM: String
    /// A service-account-style RSA key: PKCS#8 PEM, 2048 bits.
    public let rsaPEM: String
    public let rsaPublicPEM: String

    /// Makes both keys in a temporary folder (removed again).
    public static func make() throws -> PushCredentials {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ec = folder.appendingPathComponent("ec.pem").path
        let rsa = folder.appendingPathComponent("rsa.pem").path
        try run("/usr/bin/openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec])
        try run("/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa])
        return PushCredentials(
            p256PEM: try String(contentsOfFile: ec, encoding: .utf8),
            p256PublicPEM: try run("/usr/bin/openssl", ["pkey", "-in", ec, "-pubout"]),
            rsaPEM: try String(contentsOfFile: rsa, encoding: .utf8),
            rsaPublicPEM: try run("/usr/bin/openssl", ["pkey", "-in", rsa, "-pubout"]))
    }

    /// The body lines of a PEM (the base64 of the key), which must never show anywhere.
    public static func secretLines(of pem: String) -> [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count > 20 }
    }

    /// A Google service-account JSON key file around ``rsaPEM``.
    public func serviceAccountJSON(tokenURI: URL, projectID: String = "herald-test") -> String {
        let document: [String: String] = [
            "type": "service_account", "project_id": projectID, "private_key_id": "kid-1234",
            "private_key": rsaPEM, "client_email": "herald@herald-test.iam.gserviceaccount.com",
            "token_uri": tokenURI.absoluteString,
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Verifies each compact JWS with `publicKeyPEM` in one Python process; the header and claims of each, or an
    /// error naming the first token that does not verify.
    public static func verifyJWTs(_ tokens: [String], publicKeyPEM: String) throws -> [(header: [String: Any], claims: [String: Any])] {
        let script = #"""
            import base64, json, sys
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
            def b64(text):
                return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            request = json.load(sys.stdin)
            key = serialization.load_pem_public_key(request["key"].encode())
            results = []
            for token in request["tokens"]:
                head, body, signature = token.split(".")
                header, claims, raw = json.loads(b64(head)), json.loads(b64(body)), b64(signature)
                signed = (head + "." + body).encode()
                try:
                    if header["alg"] == "ES256":
                        if len(raw) != 64: raise ValueError("ES256 signature is not 64 bytes")
                        der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
                        key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
                    elif header["alg"] == "RS256":
                        key.verify(raw, signed, padding.PKCS1v15(), hashes.SHA256())
                    else:
                        raise ValueError("unexpected alg")
                    results.append({"header": header, "claims": claims})
                except Exception as error:
                    print(json.dumps({"invalid": token[:40], "error": repr(error)}))
                    sys.exit(1)
            print(json.dumps({"results": results}))
            """#
        let input = try JSONSerialization.data(withJSONObject: ["key": publicKeyPEM, "tokens": tokens])
        let output = try run("/usr/bin/python3", ["-c", script], input: input)
        guard let reply = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let results = reply["results"] as? [[String: Any]]
        else { throw TestServerError("a JWT did not verify: \(output)") }
        return results.map { ($0["header"] as? [String: Any] ?? [:], $0["claims"] as? [String: Any] ?? [:]) }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> String {
        String(decoding: try OneShotCommand.run(executable, arguments, input: input), as: UTF8.self)
    }
}
