/// The ASCII bytes the JSON grammar is made of, named so the parser reads like the grammar.
extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let period = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let apostrophe = UInt8(ascii: "'")

    var isASCIIDigit: Bool { self >= .zero && self <= .nine }

    /// A letter, digit or underscore: what a bare word like `NaN` or `true` is made of.
    var isASCIIWordCharacter: Bool {
        let lowercased = self | 0x20
        return isASCIIDigit || (lowercased >= UInt8(ascii: "a") && lowercased <= UInt8(ascii: "z"))
            || self == UInt8(ascii: "_")
    }

    /// The value of a hexadecimal digit, or nil.
    var hexDigitValue: UInt32? {
        switch self {
        case .zero ... .nine: UInt32(self - .zero)
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): UInt32(self - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): UInt32(self - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
