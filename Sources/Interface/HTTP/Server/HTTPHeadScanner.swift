/// Finds the end of a request head (the empty line after the header fields) in bytes that arrive in
/// pieces, and enforces the head's size limits as they arrive.
///
/// The scanner remembers how far its search got, so each byte of a head is examined once however the
/// head is split across reads (a head dribbled one byte at a time costs its length, not its square).
struct HTTPHeadScanner: Equatable, Sendable {
    /// The longest request line (method, target, version).
    static let maxRequestLine = 8 * 1024

    /// The largest head, not counting the empty line that ends it.
    let maxHeaderBytes: Int
    /// Bytes examined since the scanner was made, over every head it found.
    private(set) var bytesExamined = 0
    /// Bytes of the current head examined so far.
    private var scanned = 0
    /// How many bytes of `\r\n\r\n` the last examined bytes match.
    private var matched = 0
    private var requestLineEnded = false

    init(maxHeaderBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Continues the search in `head`, the bytes of the head so far: the bytes given last time, possibly
    /// followed by more. Returns the head's length including the empty line that ends it, or nil while the
    /// end has not arrived; the scanner is then ready for the next head.
    /// - Throws: `414` for a request line over ``maxRequestLine``, `431` for a head over ``maxHeaderBytes``.
    mutating func scan(_ head: ArraySlice<UInt8>) throws(HTTPParseError) -> Int? {
        var index = head.startIndex + scanned
        while index < head.endIndex {
            let byte = head[index]
            index += 1
            scanned += 1
            bytesExamined += 1
            matched =
                switch (matched, byte) {
                case (0, 13), (2, 13), (1, 10), (3, 10): matched + 1
                case (_, 13): 1
                default: 0
                }
            if byte == 10 { requestLineEnded = true }
            if matched == 4 {
                defer { (scanned, matched, requestLineEnded) = (0, 0, false) }
                return scanned
            }
            if !requestLineEnded, scanned - matched > Self.maxRequestLine {
                throw HTTPParseError(414, "the request line is too long")
            }
            if scanned - matched > maxHeaderBytes { throw HTTPParseError(431, "the request headers are too large") }
        }
        return nil
    }
}
