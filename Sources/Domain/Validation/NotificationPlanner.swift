/// Validates a request against the configuration and turns it into a ``NotificationPlan``.
///
/// Pure: it needs the request's user already looked up, and changes nothing, so bad input is
/// rejected before anything is persisted.
public struct NotificationPlanner: Sendable {
    public var resolver: TargetResolver
    public var templates: TemplateCatalog

    public init(resolver: TargetResolver, templates: TemplateCatalog) {
        self.resolver = resolver
        self.templates = templates
    }

    /// Plans `request` for `user` (the profile of `request.userID`, or nil when it names none).
    /// - Throws: ``HeraldError`` with the contract's validation code and field.
    public func plan(_ request: NotificationRequest, user: UserProfile?) throws(HeraldError) -> NotificationPlan {
        try Self.validateShape(of: request)
        let content = try render(request)
        try HeaderSafety.requireSubject(content.subject, field: "subject")
        return NotificationPlan(content: content, targets: try resolver.targets(for: request, user: user))
    }

    /// Checks what can be checked without configuration: empty names, a user id outside
    /// ``AddressRules``, header-unsafe or overlong subjects, and whether there is something to say.
    public static func validateShape(of request: NotificationRequest) throws(HeraldError) {
        if request.topic?.rawValue.isEmpty == true {
            throw HeraldError(.invalidValue, "topic must not be empty", field: "topic")
        }
        if let userID = request.userID {
            try AddressRules.requireUserID(userID.rawValue, field: "user_id")
        }
        try HeaderSafety.requireSubject(request.subject, field: "subject")
        let hasMessage = !(request.message ?? "").allSatisfy(\.isWhitespace)
        if hasMessage, request.template != nil {
            throw HeraldError(.invalidValue, "give message or template, not both", field: "template")
        }
        if !hasMessage, request.template == nil {
            throw HeraldError(.missingMessage, "give a message or a template", field: "message")
        }
        if request.data["aps"] != nil {
            throw HeraldError(.invalidValue, "data.aps is reserved: Herald builds the APNs aps dictionary", field: "data.aps")
        }
        if let key = request.collapseKey, key.isEmpty || key.utf8.count > 64 || key.utf8.contains(where: { $0 < 32 || $0 == 127 }) {
            throw HeraldError(
                .invalidValue, "collapse_key must be 1 to 64 bytes without control characters", field: "collapse_key")
        }
    }

    private func render(_ request: NotificationRequest) throws(HeraldError) -> RenderedContent {
        var content: RenderedContent
        if let name = request.template {
            content = try templates.template(named: name).render(with: request.data)
            if let subject = request.subject { content.subject = subject }
        } else {
            content = RenderedContent(subject: request.subject, body: request.message ?? "")
        }
        content.data = request.data
        content.priority = request.priority
        content.collapseKey = request.collapseKey
        return content
    }
}
