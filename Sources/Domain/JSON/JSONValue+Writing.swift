extension JSONValue {
    /// The value as compact JSON text with object keys sorted and `/` unescaped, so equal values always read
    /// the same. Integral numbers below 2^53 are written without a decimal point; non-finite ones as `null`.
    public var jsonText: String {
        var text = ""
        write(into: &text)
        return text
    }

    /// Appends the value's ``jsonText`` to `text`.
    public func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let value): Self.writeNumber(value, into: &text)
        case .string(let value): Self.writeString(value, into: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, into: &text)
                text += ":"
                members[key]!.write(into: &text)
            }
            text += "}"
        }
    }

    /// Appends `value` as a JSON number (`null` when it is not finite, which JSON cannot carry).
    static func writeNumber(_ value: Double, into text: inout String) {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
            text += String(Int64(value))
        } else if value.isFinite {
            text += "\(value)"
        } else {
            text += "null"
        }
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped, all else as is.
    public static func writeString(_ value: String, into text: inout String) {
        text += "\""
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
