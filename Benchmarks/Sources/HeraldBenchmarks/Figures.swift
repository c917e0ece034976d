import Foundation

/// Appends `name value` lines to the file `scripts/bench` builds its summary table from; prints nothing.
struct Figures: Sendable {
    let path: String?

    func record(_ name: String, _ value: Double) {
        guard let path, let line = "\(name) \(value)\n".data(using: .utf8) else { return }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            handle.closeFile()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: line)
        }
    }
}

/// Seconds in a duration, as a floating-point number.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A rate per second, rounded down to a whole number, for the tables.
func perSecond(_ count: Int, in duration: Duration) -> Int { Int(Double(count) / seconds(duration)) }

/// A whole number with thousands separators (`12,345`), as the tables in docs/benchmarks.md print them.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}
