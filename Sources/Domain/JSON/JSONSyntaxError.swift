/// Why a document is not strict RFC 8259 JSON, and where.
///
/// Lines are 1-based and end at LF, CR LF or a lone CR. Columns are 1-based and count Unicode scalars of
/// that line, so `é` is one column however many bytes it takes; a byte order mark is not counted.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line of the problem, from 1.
    public var line: Int
    /// The column of the problem in Unicode scalars of its line, from 1.
    public var column: Int
    /// What is wrong, in a few words: `trailing comma`, `duplicate key "sms"`.
    public var message: String
    /// The offset of the problem in the document, in bytes from 0.
    public var byteOffset: Int

    /// Creates an error at a position of a document.
    public init(line: Int, column: Int, message: String, byteOffset: Int) {
        self.line = line
        self.column = column
        self.message = message
        self.byteOffset = byteOffset
    }

    /// `line 3, column 5: duplicate key "sms"`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
