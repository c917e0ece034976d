/// Keeping leases honest: a worker's heartbeat, giving back what it lost track of, and recovering the leases
/// of workers that died. `HeraldWorker`'s maintenance loop uses this role.
public protocol LeaseMaintenance: Sendable {
    /// Extends every lease `worker` holds to `lease` from now: the worker's heartbeat, so a delivery
    /// that takes long is not recovered from a worker that is alive.
    func renewLeases(of worker: WorkerID, for lease: Duration) async throws

    /// The tokens of every unit `worker` holds now.
    func leasedTokens(of worker: WorkerID) async throws -> Set<String>

    /// Returns the units with `tokens` that `worker` still holds to the head of the ready list: how a live
    /// worker gives back reservations it lost track of (an error between reserving and settling), since its
    /// heartbeat would otherwise keep them leased forever. Returns how many were released.
    func releaseLeases(of worker: WorkerID, tokens: Set<String>) async throws -> Int

    /// Returns the units of expired leases to the ready list (dead-lettering repeat offenders).
    func recoverExpiredLeases() async throws -> LeaseRecovery
}
