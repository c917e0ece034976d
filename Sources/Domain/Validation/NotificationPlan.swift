/// A validated request: the rendered content and the deliveries to create.
public struct NotificationPlan: Hashable, Sendable {
    public var content: RenderedContent
    public var targets: [DeliveryTarget]

    public init(content: RenderedContent, targets: [DeliveryTarget]) {
        self.content = content
        self.targets = targets
    }
}
