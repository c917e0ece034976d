/// Typed, path-naming access to the members of a JSON object in a request body; errors are `invalid_value` naming
/// the member's path (`throttle.limit`).
struct JSONFields {
    let members: [String: JSONValue]
    /// The object's own path, "" for the body itself.
    let path: String

    init(_ members: [String: JSONValue], path: String = "") {
        self.members = members
        self.path = path
    }

    /// The path of the member `name`.
    func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The error for a required member that is absent.
    func missing(_ name: String) -> HeraldError {
        HeraldError(.invalidValue, "\(fieldPath(name)) is missing", field: fieldPath(name))
    }

    /// Rejects the first member `allowed` does not name with `unknown_field`.
    func rejectUnknown(allowing allowed: Set<String>) throws(HeraldError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw HeraldError(
                .unknownField, "unknown field \"\(unknown)\"" + Suggestion.hint(for: unknown, among: allowed),
                field: fieldPath(unknown))
        }
    }

    private func present(_ name: String) -> JSONValue? {
        guard let value = members[name], value != .null else { return nil }
        return value
    }

    private func mismatch(_ name: String, _ expected: String, _ value: JSONValue) -> HeraldError {
        HeraldError(.invalidValue, "\(fieldPath(name)) must be \(expected), not \(value.typeName)", field: fieldPath(name))
    }

    func string(_ name: String) throws(HeraldError) -> String? {
        guard let value = present(name) else { return nil }
        guard case .string(let text) = value else { throw mismatch(name, "a string", value) }
        return text
    }

    func identifier(_ name: String) throws(HeraldError) -> String? {
        guard let value = present(name) else { return nil }
        if case .number(let number) = value, number.rounded() == number, (0...9_007_199_254_740_991).contains(number),
            let text = value.textForMessage
        {
            return text
        }
        guard case .string(let text) = value else { throw mismatch(name, "a string or a non-negative integer", value) }
        return text
    }

    func wholeNumber(_ name: String, in range: ClosedRange<Int>) throws(HeraldError) -> Int? {
        guard let value = present(name) else { return nil }
        guard case .number(let number) = value, number.rounded() == number,
            Double(range.lowerBound) <= number, number <= Double(range.upperBound)
        else {
            throw HeraldError(
                .invalidValue, "\(fieldPath(name)) must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                field: fieldPath(name))
        }
        return Int(number)
    }

    func bool(_ name: String) throws(HeraldError) -> Bool? {
        guard let value = present(name) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(name, "true or false", value) }
        return flag
    }

    func stringArray(_ name: String) throws(HeraldError) -> [String]? {
        guard let value = present(name) else { return nil }
        guard case .array(let elements) = value else { throw mismatch(name, "an array of strings", value) }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw HeraldError(
                    .invalidValue, "\(fieldPath(name))[\(index)] must be a string, not \(element.typeName)",
                    field: "\(fieldPath(name))[\(index)]")
            }
            strings.append(text)
        }
        return strings
    }

    func object(_ name: String) throws(HeraldError) -> [String: JSONValue]? {
        guard let value = present(name) else { return nil }
        guard case .object(let members) = value else { throw mismatch(name, "an object", value) }
        return members
    }
}
