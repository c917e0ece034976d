extension HeraldAPI {
    /// What an API key may do (contract §9). Each route's scope is set in one place, `APIRoute.Action.requirement`.
    ///
    /// A struct over a private enum, like ``HeraldError/Code``, so a later scope does not break a host's switch.
    public struct Scope: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, CaseIterable {
            case send
            case read
            case admin
        }

        private let base: Base

        /// The scope's name in `herald.json` (`"send"`).
        public var rawValue: String { base.rawValue }
        public var description: String { base.rawValue }

        /// The scope named `rawValue`, or nil when there is no such scope.
        public init?(rawValue: String) {
            guard let base = Base(rawValue: rawValue) else { return nil }
            self.base = base
        }

        private init(base: Base) {
            self.base = base
        }

        /// Accepting notifications: `POST /v1/notifications` and its aliases.
        public static var send: Scope { Scope(base: .send) }
        /// Reading: notification status, contact info, and `/metrics` unless it is public.
        public static var read: Scope { Scope(base: .read) }
        /// Changing what Herald knows or does: `PUT /v1/users/{id}`, retries, and every later admin route.
        public static var admin: Scope { Scope(base: .admin) }

        /// Every scope, in the order the documentation lists them.
        public static var all: [Scope] { Base.allCases.map(Scope.init(base:)) }
    }
}
