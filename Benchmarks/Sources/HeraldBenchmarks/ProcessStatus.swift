import Foundation

/// The memory and thread figures of a running process, from `/proc/<pid>/status` (Linux).
struct ProcessStatus {
    /// Resident set now (`VmRSS`), in KiB.
    var residentKiB = 0
    /// The highest resident set so far (`VmHWM`), in KiB.
    var peakResidentKiB = 0
    /// Threads now (`Threads`).
    var threads = 0

    /// Reads the figures of `pid`; nil when the process is gone or this is not Linux.
    init?(pid: Int32) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            switch parts[0] {
            case "VmRSS": residentKiB = value
            case "VmHWM": peakResidentKiB = value
            case "Threads": threads = value
            default: break
            }
        }
    }
}
