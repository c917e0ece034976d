/// A command ready for the wire: its name and arguments as binary-safe byte strings.
package struct RESPCommand: Hashable, Sendable {
    /// Name first, then arguments.
    package let parts: [[UInt8]]

    /// A command from text arguments (`RESPCommand("LPUSH", key, value)`).
    package init(_ name: String, _ arguments: String...) {
        self.init(name, arguments: arguments)
    }

    /// A command from text arguments.
    package init(_ name: String, arguments: [String]) {
        self.parts = [Array(name.utf8)] + arguments.map { Array($0.utf8) }
    }

    /// A command from raw byte arguments.
    package init(parts: [[UInt8]]) {
        precondition(!parts.isEmpty, "a command needs a name")
        self.parts = parts
    }

    /// The command's name, for errors and logs (never its arguments, which may be secrets).
    package var name: String { String(decoding: parts[0], as: UTF8.self) }

    /// Appends the RESP encoding (an array of bulk strings) to `buffer`.
    package func encode(into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        appendDecimal(parts.count, to: &buffer)
        for part in parts {
            buffer.append(UInt8(ascii: "$"))
            appendDecimal(part.count, to: &buffer)
            buffer.append(contentsOf: part)
            buffer.append(13)
            buffer.append(10)
        }
    }

    /// The RESP encoding as bytes.
    package var encoded: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 + parts.reduce(0) { $0 + $1.count + 16 })
        encode(into: &buffer)
        return buffer
    }

    private func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            buffer.append(contentsOf: String(value).utf8)
        }
        buffer.append(13)
        buffer.append(10)
    }
}
