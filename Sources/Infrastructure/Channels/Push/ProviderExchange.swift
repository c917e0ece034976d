import Foundation
import HeraldDomain

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An outcome decided before any answer arrived (the request got none), carried through a `Result`.
struct DeliveryFailure: Error {
    let outcome: DeliveryOutcome
    init(_ outcome: DeliveryOutcome) { self.outcome = outcome }
}

extension HTTPTransport {
    /// Sends `request` to a push provider: its answer, or the outcome of getting none (retry, as §6 says for a
    /// network failure). Cancellation stays cancellation.
    func exchange(_ request: URLRequest, provider: String) async throws -> Result<ProviderResponse, DeliveryFailure> {
        do {
            return .success(try await send(request))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .failure(DeliveryFailure(HTTPOutcome.unanswered(error, provider: provider)))
        }
    }
}
