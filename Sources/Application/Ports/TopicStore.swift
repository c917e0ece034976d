public import HeraldDomain

/// The topics' routes managed at run time (`/v1/topics`), seeded from the configuration; on Redis shared by every
/// process, so a change is seen by the next request anywhere.
public protocol TopicStore: Sendable {
    /// The route of `topic`, or nil when it has none.
    func route(for topic: Topic) async throws -> Route?
    /// Every topic's route.
    func routes() async throws -> [Topic: Route]
    /// Stores `route` for `topic`, replacing any route it had.
    func setRoute(_ route: Route, for topic: Topic) async throws
    /// Removes the route of `topic`; returns whether it had one.
    func removeRoute(for topic: Topic) async throws -> Bool
}
