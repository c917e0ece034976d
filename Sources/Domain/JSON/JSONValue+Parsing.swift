public import Foundation

extension JSONValue {
    /// Parses `data` as one strict RFC 8259 JSON document (see ``JSONSyntaxError`` for what is refused).
    /// - Throws: ``HeraldError/Code/invalidJSON`` whose message names the line and column
    ///   (`the body is not valid JSON: line 1, column 31: trailing comma`) and whose `underlying` error is
    ///   the ``JSONSyntaxError``.
    public static func parse(_ data: Data) throws(HeraldError) -> JSONValue {
        do {
            return try JSONParser.parse(data)
        } catch {
            throw HeraldError(.invalidJSON, "the body is not valid JSON: \(error)", underlying: error)
        }
    }

    /// Parses `data` and requires a JSON object at the top level.
    public static func parseObject(_ data: Data) throws(HeraldError) -> [String: JSONValue] {
        guard case .object(let members) = try parse(data) else {
            throw HeraldError(.invalidJSON, "the body must be a JSON object")
        }
        return members
    }

    /// Renders a scalar the way it should appear inside a message: integers without a decimal point.
    public var textForMessage: String? {
        switch self {
        case .string(let text): text
        case .bool(let value): value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { String(Int64(value)) } else { "\(value)" }
        case .null, .array, .object: nil
        }
    }
}
