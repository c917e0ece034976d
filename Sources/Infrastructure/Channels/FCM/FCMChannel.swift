public import Foundation
public import HeraldApplication
public import HeraldDomain
import HeraldCrypto
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends push notifications through Firebase Cloud Messaging's HTTP v1 API:
/// `POST {base}/v1/projects/{project}/messages:send` with `{"message": {"token", "notification", "data"}}` and an
/// OAuth 2.0 access token, got by the JWT-bearer grant (an RS256 assertion signed with the service account's key)
/// and kept until 5 minutes before it expires.
///
/// `200` is sent. `404 UNREGISTERED` and a `400 INVALID_ARGUMENT` naming the token are
/// ``DeliveryOutcome/addressGone(reason:)``: Herald removes the token from the user. `401` gets a new access token
/// and tries once more. `429` is rate limited, `500`/`503` and network errors are retried, other answers fail.
public struct FCMChannel: NotificationChannel, CustomStringConvertible {
    /// The scope the access token is asked for.
    package static let scope = "https://www.googleapis.com/auth/firebase.messaging"
    /// How long before its expiry an access token is replaced.
    package static let renewalMargin: Duration = .seconds(300)

    private let account: FCMServiceAccount
    private let projectID: String
    private let endpoint: URL
    private let transport: HTTPTransport
    private let clock: any WallClock
    private let tokens: ProviderTokenCache

    /// - Parameters:
    ///   - projectID: the Firebase project; defaults to the service account's `project_id`.
    ///   - baseURL: defaults to `https://fcm.googleapis.com` (a test server may stand in).
    ///   - tokenURL: where access tokens are asked for; defaults to the service account's `token_uri`.
    ///   - timeout: how long one request may take, connecting included.
    /// - Throws: ``PushCredentialError`` when there is no project id.
    public init(
        serviceAccount: FCMServiceAccount, projectID: String? = nil, baseURL: URL? = nil, tokenURL: URL? = nil,
        timeout: Duration = .seconds(10)
    ) throws {
        try self.init(
            serviceAccount: serviceAccount, projectID: projectID, baseURL: baseURL, tokenURL: tokenURL,
            transport: HTTPTransport(timeout: timeout), clock: SystemClock())
    }

    package init(
        serviceAccount: FCMServiceAccount, projectID: String?, baseURL: URL?, tokenURL: URL?, transport: HTTPTransport,
        clock: any WallClock
    ) throws(PushCredentialError) {
        guard let project = projectID ?? serviceAccount.projectID else {
            throw PushCredentialError("no project id: set \"project_id\" or use a service account that has one")
        }
        guard project.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw PushCredentialError("the project id must be letters, digits and hyphens")
        }
        account = serviceAccount
        self.projectID = project
        endpoint = (baseURL ?? URL(string: "https://fcm.googleapis.com")!)
            .appendingPathComponent("v1/projects/\(project)/messages:send")
        self.transport = transport
        self.clock = clock
        let tokenURL = tokenURL ?? serviceAccount.tokenURI
        tokens = ProviderTokenCache(clock: clock) {
            try await Self.exchangeAssertion(account: serviceAccount, at: tokenURL, transport: transport, clock: clock)
        }
    }

    public var description: String {
        "FCMChannel(project: \(projectID), client: \(account.clientEmail), privateKey: ***)"
    }

    /// How many access tokens this channel obtained so far.
    package var tokenExchangeCount: Int { get async { await tokens.issuedCount } }

    /// Sends to each recipient token in turn; the first answer that is not `200` decides. From a worker a
    /// message holds one token: Herald gives every device a delivery of its own.
    public func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        try await EachRecipient.send(message.recipients) { try await send(message, to: $0) }
    }

    private func send(_ message: OutgoingMessage, to deviceToken: String) async throws -> DeliveryOutcome {
        let body = Data(Self.body(for: message, token: deviceToken).jsonText.utf8)
        do {
            var accessToken = try await tokens.token()
            var answer = try await post(body, accessToken)
            if case .success(let response) = answer, response.status == 401 {
                accessToken = try await tokens.replacing(accessToken)
                answer = try await post(body, accessToken)
            }
            switch answer {
            case .failure(let failure): return failure.outcome
            case .success(let response): return Self.classify(response, now: clock.now)
            }
        } catch let failure as DeliveryFailure {
            return failure.outcome
        }
    }

    private func post(_ body: Data, _ accessToken: String) async throws -> Result<ProviderResponse, DeliveryFailure> {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("Bearer \(accessToken)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        return try await transport.exchange(request, provider: "FCM")
    }

    /// `{"message": {"token", "notification": {"title", "body"}, "data": {string: string}}}`, with `android`
    /// options for a low priority or a collapse key.
    package static func body(for message: OutgoingMessage, token: String) -> JSONValue {
        var notification: [String: JSONValue] = ["body": .string(message.body)]
        if let subject = message.subject, !subject.isEmpty { notification["title"] = .string(subject) }
        var fields: [String: JSONValue] = ["token": .string(token), "notification": .object(notification)]
        if !message.data.isEmpty { fields["data"] = .object(PushPayload.stringMap(message.data)) }
        var android: [String: JSONValue] = [:]
        if message.priority == .low { android["priority"] = .string("NORMAL") }
        if let collapseKey = message.collapseKey { android["collapse_key"] = .string(collapseKey) }
        if !android.isEmpty { fields["android"] = .object(android) }
        return .object(["message": .object(fields)])
    }

    /// The outcome of an FCM answer (the table in `docs/channels.md`).
    package static func classify(_ response: ProviderResponse, now: Date) -> DeliveryOutcome {
        let error = FCMErrorBody(response.body)
        let description = "FCM answered \(response.status)" + error.summary
        switch response.status {
        case 200:
            return .sent
        case 404 where error.codes.contains("UNREGISTERED") || error.status == "NOT_FOUND":
            return .addressGone(reason: description + ": the registration token is no longer valid and was removed")
        case 400 where error.namesToken:
            return .addressGone(reason: description + ": the registration token is invalid and was removed")
        case 429:
            return .rateLimited(retryAfter: HTTPOutcome.retryAfter(response.headers["retry-after"], now: now), reason: description)
        case 500...599:
            return .retry(reason: description)
        default:
            return .failed(reason: description)
        }
    }

    /// Asks `tokenURL` for an access token with a fresh RS256 assertion (RFC 7523).
    private static func exchangeAssertion(
        account: FCMServiceAccount, at tokenURL: URL, transport: HTTPTransport, clock: any WallClock
    ) async throws -> ProviderTokenCache.Token {
        let now = clock.now
        let issuedAt = Int64(now.timeIntervalSince1970)
        var header: [String: JSONValue] = ["typ": .string("JWT")]
        if let keyID = account.privateKeyID { header["kid"] = .string(keyID) }
        let assertion = JSONWebToken.compact(
            header: header,
            claims: [
                "iss": .string(account.clientEmail), "scope": .string(scope), "aud": .string(account.tokenURI.absoluteString),
                "iat": .number(Double(issuedAt)), "exp": .number(Double(issuedAt + 3600)),
            ],
            key: .rsa(account.signingKey))
        var request = URLRequest(url: tokenURL)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(FormEncoding.encode([
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
        ]).utf8)
        let response = try await transport.exchange(request, provider: "Google's token endpoint").get()
        guard response.status == 200 else {
            let outcome = HTTPOutcome.classify(response, accepted: [], provider: "Google's token endpoint", now: now) {
                Self.oauthError($0)
            }
            throw DeliveryFailure(outcome)
        }
        guard case .object(let members)? = try? JSONValue.parse(response.body),
            case .string(let accessToken)? = members["access_token"], !accessToken.isEmpty
        else {
            throw DeliveryFailure(.retry(reason: "Google's token endpoint answered 200 without an access_token"))
        }
        var lifetime = Duration.seconds(3600)
        if case .number(let seconds)? = members["expires_in"], seconds.isFinite, seconds > 0 {
            lifetime = .seconds(min(seconds, 86_400))
        }
        let renewIn = lifetime > renewalMargin ? lifetime - renewalMargin : .zero
        return ProviderTokenCache.Token(value: accessToken, renewAt: now.adding(renewIn))
    }

    /// `invalid_grant: <description>` from an OAuth error body.
    private static func oauthError(_ response: ProviderResponse) -> String {
        guard case .object(let members)? = try? JSONValue.parse(response.body), case .string(let code)? = members["error"]
        else { return response.bodyText(limit: 200) }
        if case .string(let detail)? = members["error_description"] { return "\(code): \(String(detail.prefix(200)))" }
        return code
    }
}

/// The parts of a Google API error body (`{"error": {"code", "message", "status", "details": [...]}}`) that
/// decide an FCM outcome.
struct FCMErrorBody {
    var status: String?
    var message: String?
    /// `errorCode`s of `FcmError` details (`UNREGISTERED`, `INVALID_ARGUMENT`, `QUOTA_EXCEEDED`, ...).
    var codes: [String] = []
    /// `field`s of `BadRequest` violations (`message.token`).
    var fields: [String] = []

    init(_ body: Data) {
        guard case .object(let root)? = try? JSONValue.parse(body), case .object(let error)? = root["error"] else { return }
        if case .string(let status)? = error["status"] { self.status = status }
        if case .string(let message)? = error["message"] { self.message = String(message.prefix(200)) }
        guard case .array(let details)? = error["details"] else { return }
        for case .object(let detail) in details {
            if case .string(let code)? = detail["errorCode"] { codes.append(code) }
            if case .array(let violations)? = detail["fieldViolations"] {
                for case .object(let violation) in violations {
                    if case .string(let field)? = violation["field"] { fields.append(field) }
                }
            }
        }
    }

    /// Whether a `400` blames the registration token rather than the rest of the message.
    var namesToken: Bool {
        (status == "INVALID_ARGUMENT" || codes.contains("INVALID_ARGUMENT"))
            && (fields.contains("message.token") || (message?.lowercased().contains("registration token") ?? false))
    }

    /// ` UNREGISTERED: Requested entity was not found.`, or empty.
    var summary: String {
        let code = codes.first ?? status
        let parts = [code, message].compactMap { $0 }
        return parts.isEmpty ? "" : " " + parts.joined(separator: ": ")
    }
}
