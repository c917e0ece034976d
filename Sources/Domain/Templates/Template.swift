import Foundation

/// A text with `{{placeholder}}` slots filled from request data; placeholders may be dotted paths
/// (`{{order.id}}`) and may have spaces inside the braces.
public struct Template: Hashable, Sendable {
    enum Segment: Hashable, Sendable {
        case text(String)
        case placeholder(String)
    }

    let segments: [Segment]
    /// The source text the template was parsed from.
    public let source: String

    /// Parses `source`.
    /// - Throws: `invalid_value` naming `field` when a `{{` is never closed or a placeholder is empty.
    public init(parsing source: String, field: String = "template") throws(HeraldError) {
        var segments: [Segment] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw HeraldError(.invalidValue, "\(field): \"{{\" is never closed", field: field)
            }
            let path = rest[open.upperBound..<close.lowerBound].trimmingSpaces()
            let isValidPath = !path.isEmpty && path.split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            guard isValidPath else {
                throw HeraldError(.invalidValue, "\(field): \"{{\(path)}}\" is not a placeholder", field: field)
            }
            segments.append(.placeholder(String(path)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
        self.source = source
    }

    /// The placeholder paths in order of appearance.
    public var placeholders: [String] {
        segments.compactMap { if case .placeholder(let path) = $0 { path } else { nil } }
    }

    /// Fills every placeholder from `data`.
    /// - Throws: `missing_template_data` (field `data.<path>`) when a value is absent or null, and
    ///   `invalid_value` when it is an object or array, so a message never goes out with a blank.
    public func render(with data: [String: JSONValue]) throws(HeraldError) -> String {
        let root = JSONValue.object(data)
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                output += text
            case .placeholder(let path):
                guard let value = root.value(atPath: path), value != .null else {
                    throw HeraldError(.missingTemplateData, "the template needs data.\(path)", field: "data.\(path)")
                }
                guard let text = value.textForMessage else {
                    throw HeraldError(
                        .invalidValue, "data.\(path) must be a string, number or boolean, not \(value.typeName)",
                        field: "data.\(path)")
                }
                output += text
            }
        }
        return output
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
