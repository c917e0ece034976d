public import Foundation

extension Duration {
    /// This duration in seconds, as Foundation counts them.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// This duration in whole milliseconds, rounded down (negative durations too).
    public var wholeMilliseconds: Int64 {
        Int64((timeInterval * 1000).rounded(.down))
    }
}
