/// The object identifiers of the keys Herald reads, in dotted form.
enum KeyOID {
    static let ecPublicKey = "1.2.840.10045.2.1"
    static let prime256v1 = "1.2.840.10045.3.1.7"
    static let rsaEncryption = "1.2.840.113549.1.1.1"
}

/// One DER element: its tag byte and its contents.
struct DERElement {
    let tag: UInt8
    let contents: ArraySlice<UInt8>

    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let null: UInt8 = 0x05
    static let objectIdentifier: UInt8 = 0x06
    static let sequence: UInt8 = 0x30
}

/// Reads DER (X.690) strictly and never traps on hostile input: definite, minimal lengths only, and nothing past
/// the end of the input. Errors describe the structure, never the bytes.
struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// The next element, whatever its tag.
    mutating func next() throws(PrivateKeyError) -> DERElement {
        guard let tag = bytes.first else { throw .malformedDER("the data ends where an element was expected") }
        guard tag & 0x1f != 0x1f else { throw .malformedDER("multi-byte tags are not used in keys") }
        var index = bytes.index(after: bytes.startIndex)
        guard index < bytes.endIndex else { throw .malformedDER("an element has no length") }
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let octets = Int(first & 0x7f)
            guard octets != 0 else { throw .malformedDER("indefinite lengths are not DER") }
            guard octets <= 4 else { throw .malformedDER("a length does not fit in four bytes") }
            guard bytes.endIndex - index >= octets else { throw .malformedDER("a length runs past the end") }
            for _ in 0..<octets {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
            guard length >= 0x80, length >> (8 * (octets - 1)) != 0 else {
                throw .malformedDER("a length is not in its shortest form")
            }
        }
        guard bytes.endIndex - index >= length else { throw .malformedDER("an element runs past the end of the data") }
        let contents = bytes[index..<index + length]
        bytes = bytes[(index + length)...]
        return DERElement(tag: tag, contents: contents)
    }

    /// The next element, which must have `tag`.
    mutating func next(_ tag: UInt8, _ what: String) throws(PrivateKeyError) -> DERElement {
        let element = try next()
        guard element.tag == tag else { throw .malformedDER("\(what) has the wrong type") }
        return element
    }

    /// The contents of the next SEQUENCE, to read on.
    mutating func sequence(_ what: String) throws(PrivateKeyError) -> DERReader {
        DERReader(try next(DERElement.sequence, what).contents)
    }

    /// The next INTEGER as the big-endian bytes of a non-negative value, leading zeros dropped.
    mutating func unsignedInteger(_ what: String) throws(PrivateKeyError) -> [UInt8] {
        let contents = try next(DERElement.integer, what).contents
        guard let first = contents.first else { throw .malformedDER("\(what) is empty") }
        guard first & 0x80 == 0 else { throw .malformedDER("\(what) is negative") }
        if contents.count > 1, first == 0, contents[contents.startIndex + 1] & 0x80 == 0 {
            throw .malformedDER("\(what) is not in its shortest form")
        }
        return Array(contents.drop { $0 == 0 })
    }

    /// The next INTEGER as a small non-negative number (a version).
    mutating func smallInteger(_ what: String) throws(PrivateKeyError) -> Int {
        let bytes = try unsignedInteger(what)
        guard bytes.count <= 2 else { throw .malformedDER("\(what) is too large") }
        return bytes.reduce(0) { $0 << 8 | Int($1) }
    }

    /// The next OBJECT IDENTIFIER in dotted form.
    mutating func objectIdentifier(_ what: String) throws(PrivateKeyError) -> String {
        let contents = try next(DERElement.objectIdentifier, what).contents
        guard !contents.isEmpty, contents.last! & 0x80 == 0 else { throw .malformedDER("\(what) is malformed") }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        for byte in contents {
            guard value >> 56 == 0 else { throw .malformedDER("\(what) has an arc too large") }
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        let first = min(arcs[0] / 40, 2)
        return ([first, arcs[0] - first * 40] + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}

/// The little DER Herald writes: the SubjectPublicKeyInfo of a key, for tests and independent verifiers.
enum DERWriter {
    static func element(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if contents.count < 0x80 {
            length = [UInt8(contents.count)]
        } else {
            var value = contents.count
            var octets: [UInt8] = []
            while value > 0 {
                octets.insert(UInt8(value & 0xff), at: 0)
                value >>= 8
            }
            length = [0x80 | UInt8(octets.count)] + octets
        }
        return [tag] + length + contents
    }

    static func sequence(_ elements: [[UInt8]]) -> [UInt8] { element(DERElement.sequence, elements.flatMap { $0 }) }

    static func bitString(_ bytes: [UInt8]) -> [UInt8] { element(DERElement.bitString, [0] + bytes) }

    static func null() -> [UInt8] { element(DERElement.null, []) }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    static func unsignedInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return element(DERElement.integer, bytes)
    }

    static func objectIdentifier(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
        var bytes: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var chunk: [UInt8] = [UInt8(arc & 0x7f)]
            var rest = arc >> 7
            while rest > 0 {
                chunk.insert(UInt8(rest & 0x7f) | 0x80, at: 0)
                rest >>= 7
            }
            bytes += chunk
        }
        return element(DERElement.objectIdentifier, bytes)
    }
}
