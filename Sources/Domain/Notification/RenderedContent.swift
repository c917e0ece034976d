/// A notification's text after its template (if any) was rendered; rendered once, at accept time,
/// so missing data is an error for the caller and never a blank in a sent message.
public struct RenderedContent: Hashable, Sendable, Codable {
    /// The subject line, for channels that have one.
    public var subject: String?
    /// The message body.
    public var body: String

    public init(subject: String?, body: String) {
        self.subject = subject
        self.body = body
    }
}
