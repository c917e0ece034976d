/// The error every Herald layer reports to callers: a stable wire ``Code``, a readable message and,
/// when the problem is in the input, the name of the offending field.
///
/// A struct rather than an enum so new codes never break a host's exhaustive `switch`.
public struct HeraldError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as the contract's machine-readable code.
    public var code: Code
    /// A sentence for humans; never contains secrets.
    public var message: String
    /// The request or configuration field at fault (`topic`, `channels[1]`, `routes.sales[0]`).
    public var field: String?
    /// The lower-level error this one translates, when there is one.
    public var underlying: (any Error)?
    private let location: String

    /// Creates an error; `file` and `line` are kept for debug descriptions only.
    public init(
        _ code: Code,
        _ message: String,
        field: String? = nil,
        underlying: (any Error)? = nil,
        fileID: StaticString = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.underlying = underlying
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let field { text += " (field: \(field))" }
        if let underlying { text += " [underlying: \(underlying)]" }
        #if DEBUG
            text += " at \(location)"
        #endif
        return text
    }
}

extension HeraldError: Equatable {
    /// Two errors are equal when they carry the same code and field; messages may be reworded freely.
    public static func == (lhs: HeraldError, rhs: HeraldError) -> Bool {
        lhs.code == rhs.code && lhs.field == rhs.field
    }
}
