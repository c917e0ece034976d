/// A route's digest (`"digest": {"window_s": 600, "template": "…"}`): a user's notifications of the topic within
/// ``window`` of the first become one message, rendered by ``template`` with `{{count}}` and `{{#items}}…{{/items}}`.
public struct Digest: Hashable, Sendable {
    public var window: Duration
    /// A template's name, or (when it holds `{{` or a space) the template's body itself.
    public var template: String

    public init(window: Duration, template: String) {
        self.window = window
        self.template = template
    }

    /// The longest window: one day.
    public static let maxWindowSeconds = 86_400

    /// Whether ``template`` is the body itself rather than a template's name.
    public var isInlineTemplate: Bool { template.contains("{{") || template.contains(where: \.isWhitespace) }
}
