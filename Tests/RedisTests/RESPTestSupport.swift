import HeraldRedis

/// A reproducible random source for the property and fuzz tests (SplitMix64): a failure names its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RESPValue {
    /// The RESP2 bytes a server sends for this value (the tests' stand-in for Redis).
    var wireBytes: [UInt8] {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return bytes
    }

    private func append(to bytes: inout [UInt8]) {
        switch self {
        case .simpleString(let text): bytes += Array("+\(text)\r\n".utf8)
        case .error(let text): bytes += Array("-\(text)\r\n".utf8)
        case .integer(let value): bytes += Array(":\(value)\r\n".utf8)
        case .bulkString(nil): bytes += Array("$-1\r\n".utf8)
        case .bulkString(let content?): bytes += Array("$\(content.count)\r\n".utf8) + content + [13, 10]
        case .array(nil): bytes += Array("*-1\r\n".utf8)
        case .array(let elements?):
            bytes += Array("*\(elements.count)\r\n".utf8)
            for element in elements { element.append(to: &bytes) }
        }
    }

    /// A random reply of every type, nested at most `depth` deep; line texts never hold CR or LF.
    static func random(depth: Int, using generator: inout SeededGenerator) -> RESPValue {
        let line = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in
            Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &generator)))
        })
        switch Int.random(in: 0..<(depth > 0 ? 7 : 6), using: &generator) {
        case 0: return .simpleString(line)
        case 1: return .error(line)
        case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
        case 3: return .bulkString(nil)
        case 4: return .bulkString((0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        case 5: return .array(Bool.random(using: &generator) ? nil : [])
        default:
            return .array((0..<Int.random(in: 1...4, using: &generator)).map { _ in random(depth: depth - 1, using: &generator) })
        }
    }
}

/// Splits `bytes` into chunks of random sizes (1 to `maxChunk` bytes), as reads from a socket would.
func randomChunks(of bytes: [UInt8], maxChunk: Int, using generator: inout SeededGenerator) -> [ArraySlice<UInt8>] {
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + Int.random(in: 1...maxChunk, using: &generator))
        chunks.append(bytes[start..<end])
        start = end
    }
    return chunks
}
