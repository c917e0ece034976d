import Foundation
package import HeraldDomain
#if canImport(FoundationNetworking)
    package import FoundationNetworking
#endif

/// Sends HTTP requests for the HTTP channels through one reused `URLSession`, each within a deadline.
/// Errors never carry the request's URL (webhook URLs hold secrets): they are reduced to a short cause.
///
/// The deadline is Herald's own (``DeadlineExchange``): the whole request, connection included, ends at
/// ``timeout`` to the millisecond, however slowly the server trickles its answer. URLSession's own
/// timeouts (whole seconds on Linux, and reset by every byte received) are only a backstop behind it.
package final class HTTPTransport: Sendable {
    private let session: URLSession
    /// How long one request may take, from connecting to the last byte of the answer.
    package let timeout: Duration

    /// - Parameter timeout: how long one request may take, connection included.
    package init(timeout: Duration = .seconds(10)) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        let backstop = Double(timeout.components.seconds + 1) + (timeout.components.attoseconds > 0 ? 1 : 0)
        configuration.timeoutIntervalForRequest = backstop
        configuration.timeoutIntervalForResource = backstop
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request`.
    /// - Throws: ``HTTPTransportError`` naming the cause (`timed out after 500 ms`, refused, ...) without
    ///   the URL; `CancellationError` when the task is cancelled (the request is cancelled too).
    package func send(_ request: URLRequest) async throws -> ProviderResponse {
        do {
            let (data, response) = try await DeadlineExchange.run(request, in: session, timeout: timeout)
            guard let http = response as? HTTPURLResponse else { throw HTTPTransportError(cause: "not an HTTP response") }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return ProviderResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as HTTPTransportError {
            throw error
        } catch let error as URLError {
            throw HTTPTransportError(cause: Self.describe(error.code))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw HTTPTransportError(cause: "request failed")
        }
    }

    /// Sends `request` to a provider and classifies the answer (see ``HTTPOutcome``); a request that got no
    /// answer is a retry, and cancellation propagates.
    package func deliver(
        _ request: URLRequest, provider: String, accepted: Set<Int>, scrubbing scrubber: SecretScrubber,
        reason: (ProviderResponse) -> String
    ) async throws -> DeliveryOutcome {
        let response: ProviderResponse
        do {
            response = try await send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return HTTPOutcome.unanswered(error, provider: provider)
        }
        return HTTPOutcome.classify(response, accepted: accepted, provider: provider) { scrubber.scrub(reason($0)) }
    }

    private static func describe(_ code: URLError.Code) -> String {
        switch code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .notConnectedToInternet: "network unreachable"
        case .cancelled: "cancelled"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            "TLS handshake failed"
        case .badServerResponse: "bad server response"
        default: "network error \(code.rawValue)"
        }
    }
}

/// A request got no HTTP answer; `cause` is safe to log (it never contains the URL).
package struct HTTPTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    package let cause: String
    package var description: String { cause }
}

/// Providers answer a notification directly; a redirect is answered as it is (and counts as a failure)
/// rather than followed, which could turn a POST into a GET and report it sent.
private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
