/// What one pass of ``LeaseMaintenance/recoverExpiredLeases()`` did.
public struct LeaseRecovery: Hashable, Sendable {
    /// Units made ready again.
    public var recovered: Int
    /// Units dead-lettered because they had crashed workers too often (poison pills).
    public var deadLettered: Int

    public init(recovered: Int = 0, deadLettered: Int = 0) {
        self.recovered = recovered
        self.deadLettered = deadLettered
    }
}
