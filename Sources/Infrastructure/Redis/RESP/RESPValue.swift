/// One RESP2 reply: what Redis sends back for a command.
package enum RESPValue: Hashable, Sendable {
    /// `+OK`
    case simpleString(String)
    /// `-ERR message`: the server refused the command.
    case error(String)
    /// `:42`
    case integer(Int64)
    /// `$5\r\nhello`, or nil for the null bulk string `$-1`. Binary-safe.
    case bulkString([UInt8]?)
    /// `*2\r\n...`, or nil for the null array `*-1`.
    case array([RESPValue]?)

    /// The text of a simple or bulk string (bulk strings decoded as UTF-8), or nil.
    package var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// The value of an integer reply, or nil.
    package var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The elements of a non-null array, or nil.
    package var array: [RESPValue]? {
        if case .array(let elements?) = self { elements } else { nil }
    }

    /// Whether this is a null bulk string or a null array.
    package var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }
}
