extension HeraldError {
    /// A machine-readable error code; its `rawValue` is the string on the wire (`"unknown_topic"`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case invalidJSON = "invalid_json"
            case missingTarget = "missing_target"
            case missingMessage = "missing_message"
            case unknownTopic = "unknown_topic"
            case unknownChannel = "unknown_channel"
            case unknownUser = "unknown_user"
            case noContact = "no_contact"
            case unknownField = "unknown_field"
            case unknownTemplate = "unknown_template"
            case missingTemplateData = "missing_template_data"
            case invalidValue = "invalid_value"
            case idempotencyKeyReused = "idempotency_key_reused"
            case idempotencyKeyInProgress = "idempotency_key_in_progress"
            case notFound = "not_found"
            case nothingToRetry = "nothing_to_retry"
            case nothingToCancel = "nothing_to_cancel"
            case queueUnavailable = "queue_unavailable"
            case queueFull = "queue_full"
            case userServiceUnavailable = "user_service_unavailable"
            case invalidConfiguration = "invalid_configuration"
            case notSupported = "not_supported"
        }

        /// The wire string of this code.
        public let rawValue: String
        public var description: String { rawValue }

        private init(base: Base) {
            rawValue = base.rawValue
        }

        /// A code of an outer layer (the HTTP API's `body_too_large`), declared there, not in the domain.
        package init(layerCode rawValue: String) {
            self.rawValue = rawValue
        }

        /// The body is not a JSON object in valid UTF-8.
        public static var invalidJSON: Code { Code(base: .invalidJSON) }
        /// The request names no channel, no routed topic and no user with a preferred channel.
        public static var missingTarget: Code { Code(base: .missingTarget) }
        /// The request has neither a message nor a template.
        public static var missingMessage: Code { Code(base: .missingMessage) }
        /// The topic has no route and no explicit channel was given.
        public static var unknownTopic: Code { Code(base: .unknownTopic) }
        /// A channel name is not configured.
        public static var unknownChannel: Code { Code(base: .unknownChannel) }
        /// The user service does not know the user.
        public static var unknownUser: Code { Code(base: .unknownUser) }
        /// A channel needs an address (email, SMS) that neither the user nor the channel provides.
        public static var noContact: Code { Code(base: .noContact) }
        /// The request has a field Herald does not know; fields are never silently ignored.
        public static var unknownField: Code { Code(base: .unknownField) }
        /// The named template is not configured.
        public static var unknownTemplate: Code { Code(base: .unknownTemplate) }
        /// The template refers to data the request did not provide.
        public static var missingTemplateData: Code { Code(base: .missingTemplateData) }
        /// A field has the wrong type or an unacceptable value.
        public static var invalidValue: Code { Code(base: .invalidValue) }
        /// The idempotency key was used before with a different request.
        public static var idempotencyKeyReused: Code { Code(base: .idempotencyKeyReused) }
        /// A request with the same idempotency key is still being accepted.
        public static var idempotencyKeyInProgress: Code { Code(base: .idempotencyKeyInProgress) }
        /// The notification (or user, or route) does not exist.
        public static var notFound: Code { Code(base: .notFound) }
        /// A retry was asked for a notification that has no failed delivery.
        public static var nothingToRetry: Code { Code(base: .nothingToRetry) }
        /// A cancel was asked for a notification whose deliveries are all sent, failed, skipped or canceled.
        public static var nothingToCancel: Code { Code(base: .nothingToCancel) }
        /// The queue could not be reached; nothing was accepted.
        public static var queueUnavailable: Code { Code(base: .queueUnavailable) }
        /// The memory queue is full of unfinished notifications; nothing was accepted.
        public static var queueFull: Code { Code(base: .queueFull) }
        /// The user service could not be reached; nothing was accepted.
        public static var userServiceUnavailable: Code { Code(base: .userServiceUnavailable) }
        /// The configuration is invalid; ``HeraldError/field`` holds its JSON path.
        public static var invalidConfiguration: Code { Code(base: .invalidConfiguration) }
        /// The operation is not supported by the configured component.
        public static var notSupported: Code { Code(base: .notSupported) }
    }
}
