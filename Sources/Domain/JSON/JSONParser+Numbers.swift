extension JSONParser {
    /// Parses `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` into the nearest `Double`.
    ///
    /// Up to 15 significant digits with a decimal exponent within ±22 are exact in a `Double` and converted
    /// with one correctly rounded operation; anything else goes through the standard library's conversion.
    /// - Throws: a malformed number, or `number out of range` when it exceeds `Double`'s range.
    mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = index
        let negative = bytes[index] == .minus
        if negative { index += 1 }
        guard index < bytes.count, bytes[index].isASCIIDigit else {
            if index < bytes.count, bytes[index].isASCIIWordCharacter {
                let word = readWord()
                throw failure("\"-\(String(decoding: word, as: UTF8.self))\" is not a JSON value", at: start)
            }
            throw failure("expected a digit after \"-\"", at: index)
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        func take(_ digit: UInt8, inFraction: Bool) {
            if mantissa == 0, digit == .zero {
                if inFraction { exponent -= 1 }
                return
            }
            significantDigits += 1
            guard significantDigits <= 15 else { return }
            mantissa = mantissa * 10 + UInt64(digit - .zero)
            if inFraction { exponent -= 1 }
        }
        if bytes[index] == .zero {
            index += 1
            if index < bytes.count, bytes[index].isASCIIDigit {
                throw failure("leading zeros are not allowed", at: start)
            }
        } else {
            while index < bytes.count, bytes[index].isASCIIDigit {
                take(bytes[index], inFraction: false)
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == .period {
            index += 1
            guard index < bytes.count, bytes[index].isASCIIDigit else {
                throw failure("expected a digit after the decimal point", at: index)
            }
            while index < bytes.count, bytes[index].isASCIIDigit {
                take(bytes[index], inFraction: true)
                index += 1
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentSign = 1
            if index < bytes.count, bytes[index] == .plus || bytes[index] == .minus {
                if bytes[index] == .minus { exponentSign = -1 }
                index += 1
            }
            guard index < bytes.count, bytes[index].isASCIIDigit else {
                throw failure("expected a digit in the exponent", at: index)
            }
            var written = 0
            while index < bytes.count, bytes[index].isASCIIDigit {
                if written < 100_000 { written = written * 10 + Int(bytes[index] - .zero) }
                index += 1
            }
            exponent += exponentSign * written
        }
        if significantDigits <= 15, abs(exponent) <= 22 {
            let magnitude = Double(mantissa)
            let value = exponent < 0 ? magnitude / Self.powersOfTen[-exponent] : magnitude * Self.powersOfTen[exponent]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("number out of range", at: start) }
        return value
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
