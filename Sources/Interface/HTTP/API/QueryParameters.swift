import Foundation
import HeraldDomain

/// A request's query string, decoded strictly: `name=value` pairs joined by `&`, percent-decoded (`+` is a space);
/// a name outside the route's own, a repeated one, or bad percent-encoding is an error naming it.
struct QueryParameters {
    private var values: [String: String] = [:]

    /// - Throws: `unknown_field` for a name not in `allowed`, `invalid_value` for a repeated name or bad encoding.
    init(_ query: String?, allowing allowed: Set<String>) throws(HeraldError) {
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw HeraldError(.invalidValue, "the query string is not valid percent-encoding", field: String(parts[0]))
            }
            guard allowed.contains(name) else {
                throw HeraldError(
                    .unknownField, "unknown query parameter \"\(name)\"" + Suggestion.hint(for: name, among: allowed),
                    field: name)
            }
            guard values[name] == nil else { throw HeraldError(.invalidValue, "\(name) is given twice", field: name) }
            values[name] = value
        }
    }

    /// The value of `name`; an empty value counts as absent.
    func string(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole number within `range`, or `fallback` when absent. - Throws: `invalid_value` naming `name`.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(HeraldError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw HeraldError(
                .invalidValue, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return number
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
