/// What an `Unimplemented…` fake throws: the port requirement a test did not expect to be called, so a unit
/// test of one use case fails loudly, naming the call, when the use case touches a port it should not.
public struct Unimplemented: Error, CustomStringConvertible, Hashable, Sendable {
    /// The requirement that was called (`NotificationIntake.enqueue`).
    public let requirement: String

    public init(_ requirement: String) {
        self.requirement = requirement
    }

    public var description: String { "\(requirement) is not implemented by this fake (the test did not expect it)" }
}
