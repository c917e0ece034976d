import Foundation

/// Renders rows as a plain-text table with a header rule, cells truncated to `maxWidth`.
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) { rows.append(cells) }

    func render() -> String {
        let clipped = rows.map { $0.map(clip) }
        let widths = headers.indices.map { column in
            ([headers[column]] + clipped.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + clipped.map(line)).joined(separator: "\n")
    }

    private func clip(_ text: String) -> String {
        text.count <= maxWidth ? text : String(text.prefix(maxWidth - 1)) + "…"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}
