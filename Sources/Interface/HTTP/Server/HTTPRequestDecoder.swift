/// Turns the bytes one connection receives into requests, in order: a pure value fed bytes as they
/// arrive, with no socket, clock or thread, so a thread per connection and an event loop can both drive it.
///
/// Each byte is examined once: the head search resumes where it stopped (``HTTPHeadScanner``) and a
/// chunked body is decoded as it arrives (``HTTPChunkedBodyDecoder``), so a request dribbled one byte at a
/// time costs its length, not its square. ``bytesExamined`` makes that checkable.
struct HTTPRequestDecoder: Sendable {
    /// Where the decoder is in the request it reads now; the server picks its timeout from it.
    enum Phase: Equatable, Sendable {
        /// Nothing of the next request has arrived (a new connection, or a keep-alive one between requests).
        case awaitingRequest
        /// Some of a head has arrived, not all of it.
        case readingHead
        /// The head is complete; its body has not all arrived.
        case readingBody
    }

    /// What the decoder produced from the bytes it was fed.
    enum Output: Sendable {
        /// The head of a request with a body, before the body (where `Expect: 100-continue` is answered).
        case head(HTTPRequestParser.Head, HTTPRequestParser.Framing)
        /// A whole request.
        case request(HTTPRequestParser.Head, body: [UInt8])
    }

    private enum Body: Sendable {
        case length(Int)
        case chunked(HTTPChunkedBodyDecoder)
    }

    /// The largest request body, inclusive (`413` beyond).
    let maxBodyBytes: Int
    /// The largest head; also the framing a chunked body may add on top of ``maxBodyBytes``.
    let maxHeaderBytes: Int
    private var buffer: [UInt8] = []
    /// Where the bytes not yet decoded start in `buffer`.
    private var readIndex = 0
    private var scanner: HTTPHeadScanner
    private var body: Body?
    private var chunkedBytesExamined = 0
    /// The head of the request whose body is being read (or whose framing was refused), if any.
    private(set) var currentHead: HTTPRequestParser.Head?

    init(maxHeaderBytes: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.scanner = HTTPHeadScanner(maxHeaderBytes: maxHeaderBytes)
    }

    var phase: Phase {
        if body != nil { return .readingBody }
        return readIndex < buffer.count ? .readingHead : .awaitingRequest
    }

    /// How many received bytes the decoder has examined, over every request so far.
    var bytesExamined: Int { scanner.bytesExamined + chunkedBytesExamined + currentChunkedBytesExamined }

    private var currentChunkedBytesExamined: Int {
        if case .chunked(let decoder) = body { return decoder.bytesExamined }
        return 0
    }

    /// Appends received bytes; ``next()`` decodes them.
    mutating func feed(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next head or request the bytes fed so far complete, or nil until more bytes arrive.
    /// - Throws: the status to answer for a malformed or oversized request; the connection must then close.
    mutating func next() throws(HTTPParseError) -> Output? {
        guard let body, let head = currentHead else { return try nextHead() }
        let bytes: [UInt8]
        switch body {
        case .length(let length):
            guard buffer.count - readIndex >= length else { return nil }
            bytes = Array(buffer[readIndex..<readIndex + length])
            readIndex += length
        case .chunked(var decoder):
            self.body = nil  // so the decoder's body array is not shared, and appends do not copy it
            readIndex += try decoder.consume(buffer[readIndex...])
            guard decoder.isComplete else {
                self.body = .chunked(decoder)
                discardDecodedBytes()
                return nil
            }
            chunkedBytesExamined += decoder.bytesExamined
            bytes = decoder.body
        }
        return finishRequest(head, body: bytes)
    }

    private mutating func nextHead() throws(HTTPParseError) -> Output? {
        guard let length = try scanner.scan(buffer[readIndex...]) else { return nil }
        let head = try HTTPRequestParser.parseCompleteHead(buffer[readIndex..<readIndex + length - 4])
        readIndex += length
        currentHead = head
        let framing = try HTTPRequestParser.framing(of: head)
        switch framing {
        case .none:
            return finishRequest(head, body: [])
        case .length(let length):
            guard length <= maxBodyBytes else {
                throw HTTPParseError(413, "the request body is larger than \(maxBodyBytes) bytes")
            }
            body = .length(length)
        case .chunked:
            body = .chunked(HTTPChunkedBodyDecoder(maxBodyBytes: maxBodyBytes, maxFramingBytes: maxHeaderBytes))
        }
        return .head(head, framing)
    }

    private mutating func finishRequest(_ head: HTTPRequestParser.Head, body bytes: [UInt8]) -> Output {
        currentHead = nil
        body = nil
        discardDecodedBytes()
        return .request(head, body: bytes)
    }

    /// Drops decoded bytes once they are at least half the buffer, so the copying stays linear overall, and
    /// frees a large emptied buffer, so an idle connection holds no memory for the request it read.
    private mutating func discardDecodedBytes() {
        guard readIndex > 0, readIndex * 2 >= buffer.count else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
        } else {
            buffer.removeFirst(readIndex)
        }
        readIndex = 0
    }
}
