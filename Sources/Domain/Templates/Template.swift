import Foundation

/// A text with `{{placeholder}}` slots filled from request data; placeholders may be dotted paths
/// (`{{order.id}}`) and may have spaces inside the braces. A section `{{#items}}…{{/items}}` repeats its
/// text for each element of an array (whose members, or `{{.}}` for the element itself, fill the placeholders
/// inside, before the outer data), once for `true` or an object, and not at all for a missing, null, `false`
/// or empty value.
public struct Template: Hashable, Sendable {
    indirect enum Segment: Hashable, Sendable {
        case text(String)
        case placeholder(String)
        case section(String, [Segment])
    }

    let segments: [Segment]
    /// The source text the template was parsed from.
    public let source: String

    /// Parses `source`.
    /// - Throws: `invalid_value` naming `field` when a `{{` is never closed, a placeholder is empty, or a section
    ///   is not closed (or closed by another name).
    public init(parsing source: String, field: String = "template") throws(HeraldError) {
        var rest = Substring(source)
        self.segments = try Self.parse(&rest, until: nil, depth: 0, field: field)
        self.source = source
    }

    /// How deep sections may nest: deeper is refused when parsing, so no template can exhaust a thread's stack.
    public static let maxSectionDepth = 8

    private static func parse(
        _ rest: inout Substring, until section: String?, depth: Int, field: String
    ) throws(HeraldError) -> [Segment] {
        var segments: [Segment] = []
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw HeraldError(.invalidValue, "\(field): \"{{\" is never closed", field: field)
            }
            var tag = rest[open.upperBound..<close.lowerBound].trimmingSpaces()
            rest = rest[close.upperBound...]
            let sigil: Character? = tag.first.flatMap { "#/".contains($0) ? $0 : nil }
            if sigil != nil { tag = tag.dropFirst().trimmingSpaces() }
            let isValidPath = tag == "." || !tag.isEmpty && tag.split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            guard isValidPath else {
                throw HeraldError(.invalidValue, "\(field): \"{{\(sigil.map(String.init) ?? "")\(tag)}}\" is not a placeholder", field: field)
            }
            switch sigil {
            case "#":
                guard depth < maxSectionDepth else {
                    throw HeraldError(
                        .invalidValue, "\(field): sections nest at most \(maxSectionDepth) deep", field: field)
                }
                segments.append(.section(String(tag), try parse(&rest, until: String(tag), depth: depth + 1, field: field)))
            case "/":
                guard String(tag) == section else {
                    throw HeraldError(.invalidValue, "\(field): \"{{/\(tag)}}\" closes no open section", field: field)
                }
                return segments
            default:
                segments.append(.placeholder(String(tag)))
            }
        }
        if let section {
            throw HeraldError(.invalidValue, "\(field): the section \"{{#\(section)}}\" is never closed", field: field)
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        rest = rest[rest.endIndex...]
        return segments
    }

    /// The placeholder and section paths in order of appearance.
    public var placeholders: [String] {
        func paths(_ segments: [Segment]) -> [String] {
            segments.flatMap { segment -> [String] in
                switch segment {
                case .text: []
                case .placeholder(let path): [path]
                case .section(let path, let inner): [path] + paths(inner)
                }
            }
        }
        return paths(segments)
    }

    /// Fills every placeholder from `data`.
    /// - Throws: `missing_template_data` (field `data.<path>`) when a value is absent or null, and
    ///   `invalid_value` when it is an object or array, so a message never goes out with a blank.
    public func render(with data: [String: JSONValue]) throws(HeraldError) -> String {
        var output = ""
        try Self.render(segments, in: [.object(data)], into: &output)
        return output
    }

    private static func lookUp(_ path: String, in contexts: [JSONValue]) -> JSONValue? {
        for context in contexts.reversed() {
            if path == "." { return context }
            if let value = context.value(atPath: path), value != .null { return value }
        }
        return nil
    }

    private static func render(_ segments: [Segment], in contexts: [JSONValue], into output: inout String) throws(HeraldError) {
        for segment in segments {
            switch segment {
            case .text(let text):
                output += text
            case .placeholder(let path):
                guard let value = lookUp(path, in: contexts) else {
                    throw HeraldError(.missingTemplateData, "the template needs data.\(path)", field: "data.\(path)")
                }
                guard let text = value.textForMessage else {
                    throw HeraldError(
                        .invalidValue, "data.\(path) must be a string, number or boolean, not \(value.typeName)",
                        field: "data.\(path)")
                }
                output += text
            case .section(let path, let inner):
                switch lookUp(path, in: contexts) {
                case .array(let elements)?:
                    for element in elements { try render(inner, in: contexts + [element], into: &output) }
                case .bool(true)?, .object?:
                    try render(inner, in: contexts + [lookUp(path, in: contexts)!], into: &output)
                case .string(let text)? where !text.isEmpty:
                    try render(inner, in: contexts, into: &output)
                case .number?:
                    try render(inner, in: contexts, into: &output)
                default:
                    break
                }
            }
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
