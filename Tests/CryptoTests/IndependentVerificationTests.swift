import Foundation
import HeraldCrypto
import Testing

/// Keys made by `openssl`, in every PEM form Herald reads, signing random messages that Python's `cryptography`
/// then verifies: Herald's ES256 and RS256 agree with an implementation it shares nothing with.
@Suite struct IndependentVerificationTests {
    struct Generated {
        let pem: String
        let publicDER: [UInt8]
    }

    static func generate(_ folder: URL, _ name: String, _ arguments: [String], convert: [String]? = nil) throws -> Generated {
        let path = folder.appendingPathComponent("\(name).pem").path
        try Independent.run("/usr/bin/openssl", ["genpkey"] + arguments + ["-out", path])
        let publicDER = Array(try Independent.openssl("pkey", "-in", path, "-pubout", "-outform", "DER"))
        if let convert {
            let converted = try Independent.run("/usr/bin/openssl", convert + ["-in", path])
            return Generated(pem: String(decoding: converted, as: UTF8.self), publicDER: publicDER)
        }
        return Generated(pem: try String(contentsOfFile: path, encoding: .utf8), publicDER: publicDER)
    }

    @Test(.timeLimit(.minutes(3)))
    func signaturesOverRandomMessagesWithFreshKeysVerifyIndependently() throws {
        let folder = try Independent.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        var keys: [(label: String, generated: Generated)] = []
        for index in 0..<3 { keys.append(("PRIVATE KEY", try Self.generate(folder, "ec\(index)", ec))) }
        keys.append(("EC PRIVATE KEY", try Self.generate(folder, "sec1", ec, convert: ["ec"])))
        for bits in [2048, 3072, 4096] {
            keys.append(("PRIVATE KEY", try Self.generate(folder, "rsa\(bits)", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)"])))
        }
        keys.append(("RSA PRIVATE KEY", try Self.generate(
            folder, "pkcs1", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], convert: ["rsa", "-traditional"])))

        var generator = SystemRandomNumberGenerator()
        var cases: [Independent.Case] = []
        for (label, generated) in keys {
            #expect(generated.pem.contains("-----BEGIN \(label)-----"), "openssl wrote \(label)")
            let key = try SigningKey.parse(pem: generated.pem)
            let (publicDER, count): ([UInt8], Int) =
                switch key {
                case .p256(let p256): (p256.publicKeyDER, 10)
                case .rsa(let rsa): (rsa.publicKeyDER, 3)
                }
            #expect(publicDER == generated.publicDER, "Herald's public key is openssl's (\(label))")
            for _ in 0..<count {
                let message = (0..<Int.random(in: 0...2000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                cases.append(Independent.Case(
                    alg: key.algorithm, key: publicDER.hex, message: message.hex, signature: key.signature(for: message).hex))
            }
        }
        let tampered = cases.prefix(2).map { valid in
            Independent.Case(alg: valid.alg, key: valid.key, message: valid.message + "00", signature: valid.signature)
        }
        let results = try Independent.verify(cases + tampered)
        #expect(results.count == cases.count + 2)
        #expect(results.prefix(cases.count).allSatisfy { $0 }, "every Herald signature verifies")
        #expect(results.suffix(2) == [false, false], "the verifier refuses a signature over another message")
        #expect(cases.filter { $0.alg == "ES256" }.count == 40)
        #expect(cases.filter { $0.alg == "RS256" }.count == 12)
    }
}
