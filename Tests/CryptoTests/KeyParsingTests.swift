import Foundation
import HeraldCrypto
import Testing

/// PEM and DER as a user might paste them, and as an attacker might: every bad key is its own error, none traps, and
/// no error or description quotes the key.
@Suite struct KeyParsingTests {
    static func pem(_ label: String, _ der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    static func generated(_ arguments: String...) throws -> String {
        let folder = try Independent.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key.pem").path
        try Independent.run("/usr/bin/openssl", ["genpkey"] + arguments + ["-out", path])
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func wrongKindsOfPEMAreRefusedByName() throws {
        #expect(throws: PrivateKeyError.notPEM) { try SigningKey.parse(pem: "") }
        #expect(throws: PrivateKeyError.notPEM) { try SigningKey.parse(pem: "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg") }
        #expect(throws: PrivateKeyError.encryptedKeyUnsupported) { try SigningKey.parse(pem: Self.pem("ENCRYPTED PRIVATE KEY", [0x30, 0x00])) }
        #expect(throws: PrivateKeyError.publicKeyNotPrivate("PUBLIC KEY")) { try SigningKey.parse(pem: Self.pem("PUBLIC KEY", [0x30, 0x00])) }
        #expect(throws: PrivateKeyError.publicKeyNotPrivate("CERTIFICATE")) { try SigningKey.parse(pem: Self.pem("CERTIFICATE", [0x30, 0x00])) }
        #expect(throws: PrivateKeyError.unsupportedPEMLabel("DSA PRIVATE KEY")) { try SigningKey.parse(pem: Self.pem("DSA PRIVATE KEY", [0x30, 0x00])) }
        #expect(throws: PrivateKeyError.malformedBase64) {
            try SigningKey.parse(pem: "-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----")
        }
        #expect(throws: PrivateKeyError.self) {
            try SigningKey.parse(pem: "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----")
        }
        #expect(throws: PrivateKeyError.self) { try SigningKey.parse(pem: "-----BEGIN PRIVATE KEY-----\nMAA=\n") }
    }

    @Test func otherCurvesSmallRSAKeysAndOtherAlgorithmsAreRefusedByName() throws {
        #expect(throws: PrivateKeyError.unsupportedCurve("1.3.132.0.34")) {
            try SigningKey.parse(pem: try Self.generated("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"))
        }
        #expect(throws: PrivateKeyError.rsaKeySize(bits: 1024)) {
            try SigningKey.parse(pem: try Self.generated("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"))
        }
        #expect(throws: PrivateKeyError.unsupportedKeyAlgorithm("1.3.101.112")) {
            try SigningKey.parse(pem: try Self.generated("-algorithm", "ED25519"))
        }
    }

    @Test func brokenDERIsAnErrorNeverACrash() throws {
        let good = try Self.generated("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
        let der = [UInt8](Data(base64Encoded: good.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!)
        #expect(throws: Never.self) { try SigningKey.parse(pem: Self.pem("PRIVATE KEY", der)) }
        for cut in [1, 2, 5, der.count / 2, der.count - 1] {
            #expect(throws: PrivateKeyError.self) { try SigningKey.parse(pem: Self.pem("PRIVATE KEY", Array(der.prefix(cut)))) }
        }
        #expect(throws: PrivateKeyError.malformedDER("indefinite lengths are not DER")) {
            try SigningKey.parse(pem: Self.pem("PRIVATE KEY", [0x30, 0x80] + der.dropFirst(2)))
        }
        #expect(throws: PrivateKeyError.malformedDER("a length is not in its shortest form")) {
            try SigningKey.parse(pem: Self.pem("PRIVATE KEY", [0x30, 0x81, 0x05, 0x02, 0x01, 0x00, 0x05, 0x00]))
        }
        #expect(throws: PrivateKeyError.malformedDER("an element runs past the end of the data")) {
            try SigningKey.parse(pem: Self.pem("PRIVATE KEY", [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]))
        }
        #expect(throws: PrivateKeyError.malformedDER("data follows the PrivateKeyInfo")) {
            try SigningKey.parse(pem: Self.pem("PRIVATE KEY", der + [0x00]))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var mutated = der
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? SigningKey.parse(pem: Self.pem("PRIVATE KEY", mutated))
        }
    }

    @Test func noErrorAndNoDescriptionQuotesTheKey() throws {
        let pem = try Self.generated("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
        let lines = pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") }
        var texts: [String] = []
        let key = try SigningKey.parse(pem: pem)
        if case .rsa(let rsa) = key { texts += [rsa.description, rsa.debugDescription, "\(key)", String(reflecting: rsa)] }
        let ec = try SigningKey.parse(pem: try Self.generated("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"))
        if case .p256(let p256) = ec { texts += [p256.description, p256.debugDescription, String(reflecting: p256)] }
        for broken in [String(pem.dropLast(80)), pem.replacingOccurrences(of: lines[3], with: lines[4])] {
            do {
                _ = try SigningKey.parse(pem: broken)
                Issue.record("a damaged key must be refused")
            } catch {
                texts.append("\(error)")
            }
        }
        for text in texts {
            for line in lines where line.count > 16 { #expect(!text.contains(line)) }
            #expect(!text.lowercased().contains(lines[2].prefix(12).lowercased()))
        }
        #expect(texts.contains("RSAPrivateKey(2048 bits, <redacted>)"))
        #expect(texts.contains("P256PrivateKey(<redacted>)"))
    }
}
