import HeraldDomain

extension ContactDirectory {
    /// The profile of `id`, with any failure to reach the directory reported as
    /// `user_service_unavailable` naming `field` (errors that are already ``HeraldError``s pass through).
    func profileReportingOutages(for id: UserID, field: String? = nil) async throws -> UserProfile? {
        do {
            return try await profile(for: id)
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(.userServiceUnavailable, "the user service is unavailable", field: field, underlying: error)
        }
    }
}
