import HeraldDomain

/// Sends to each recipient in turn; the first outcome that is not `.sent` decides. Per-recipient channels
/// (SMS, push) get one recipient per delivery from a worker, so a retry never repeats a message to anyone.
enum EachRecipient {
    static func send(
        _ recipients: [String], _ sendOne: (String) async throws -> DeliveryOutcome
    ) async throws -> DeliveryOutcome {
        for recipient in recipients {
            let outcome = try await sendOne(recipient)
            guard outcome == .sent else { return outcome }
        }
        return .sent
    }
}
