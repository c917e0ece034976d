/// One PEM block (RFC 7468): its label and the DER bytes of its base64 body.
struct PEMBlock {
    let label: String
    let der: [UInt8]

    /// The blocks of `text` in order. Text around them is ignored; a BEGIN whose END has another label, or that
    /// has no END, is an error; so is a body that is not base64.
    static func blocks(in text: String) throws(PrivateKeyError) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var body: [UInt8] = []
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingWhitespace()
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                guard label == nil else { throw .malformedDER("a PEM block begins inside another") }
                label = String(line.dropFirst(11).dropLast(5))
                body = []
            } else if line.hasPrefix("-----END "), line.hasSuffix("-----") {
                guard let open = label, String(line.dropFirst(9).dropLast(5)) == open else {
                    throw .malformedDER("a PEM block ends with another label than it began with")
                }
                guard let der = Base64URL.decodeStandard(body) else { throw .malformedBase64 }
                blocks.append(PEMBlock(label: open, der: der))
                label = nil
            } else if label != nil {
                body += Array(line.utf8)
            }
        }
        guard label == nil else { throw .malformedDER("a PEM block has no END line") }
        return blocks
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
