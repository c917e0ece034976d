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
        if request.template == nil, !request.data.isEmpty {
            throw HeraldError(.invalidValue, "data is only used with a template", field: "data")
        }
    }

    private func render(_ request: NotificationRequest) throws(HeraldError) -> RenderedContent {
        guard let name = request.template else {
            return RenderedContent(subject: request.subject, body: request.message ?? "")
        }
        var content = try templates.template(named: name).render(with: request.data)
        if let subject = request.subject { content.subject = subject }
        return content
    }
}
