package import Foundation
package import HeraldDomain

/// Maps HTTP answers onto delivery outcomes the same way for every HTTP channel (contract §6).
package enum HTTPOutcome {
    /// Classifies `response`: `accepted` statuses are sent, `429` rate limited (honouring `Retry-After`),
    /// `408` and `5xx` retried, `permanent` (default: other `4xx`) failed with `reason`.
    package static func classify(
        _ response: ProviderResponse, accepted: Set<Int>, provider: String, now: Date = Date(),
        reason: (ProviderResponse) -> String
    ) -> DeliveryOutcome {
        if accepted.contains(response.status) { return .sent }
        let detail = reason(response)
        let description = "\(provider) answered \(response.status)" + (detail.isEmpty ? "" : ": \(detail)")
        switch response.status {
        case 429:
            return .rateLimited(retryAfter: retryAfter(response.headers["retry-after"], now: now), reason: description)
        case 408, 425, 500...599:
            return .retry(reason: description)
        default:
            return .failed(reason: description)
        }
    }

    /// The outcome of a request that got no answer: always a retry (the provider may not have seen it).
    package static func unanswered(_ error: any Error, provider: String) -> DeliveryOutcome {
        .retry(reason: "\(provider) unreachable: \(error is HTTPTransportError ? "\(error)" : "request failed")")
    }

    /// Parses `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); nil when absent or invalid.
    package static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
            }
        }
        return nil
    }
}
