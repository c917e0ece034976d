/// A request the server cannot read: answered with ``status`` and the connection closed.
struct HTTPParseError: Error, Equatable {
    let status: Int
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
