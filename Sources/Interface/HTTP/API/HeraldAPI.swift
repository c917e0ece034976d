import Foundation
public import HeraldApplication
import HeraldDomain

/// Herald's HTTP API as a plain function from ``HeraldAPI.Request`` to ``HeraldAPI.Response`` (contract §5), so any
/// server can mount it: Herald's own ``HTTPServer``, or a route in a Vapor or Hummingbird host.
public struct HeraldAPI: Sendable {
    /// The use cases and state the API serves.
    public struct Services: Sendable {
        public var send: SendNotification
        public var status: GetNotificationStatus
        public var retry: RetryNotification
        public var cancel: CancelNotification
        public var contacts: ResolveContact
        public var updateUser: UpdateUserProfile
        public var devices: ManageDevices
        public var catalog: ManageCatalog
        public var deadLetters: ManageDeadLetters
        public var list: ListNotifications
        public var inspectQueue: InspectQueue
        public var throughput: any ThroughputSource
        public var queue: any QueueInspection
        public var metrics: DeliveryMetrics
        public var clock: any WallClock

        public init(
            send: SendNotification, status: GetNotificationStatus, retry: RetryNotification, cancel: CancelNotification,
            contacts: ResolveContact,
            updateUser: UpdateUserProfile, devices: ManageDevices, catalog: ManageCatalog, deadLetters: ManageDeadLetters,
            list: ListNotifications, inspectQueue: InspectQueue, throughput: any ThroughputSource,
            queue: any QueueInspection, metrics: DeliveryMetrics, clock: any WallClock
        ) {
            self.throughput = throughput
            self.inspectQueue = inspectQueue
            self.list = list
            self.deadLetters = deadLetters
            self.catalog = catalog
            self.devices = devices
            self.send = send
            self.status = status
            self.retry = retry
            self.cancel = cancel
            self.contacts = contacts
            self.updateUser = updateUser
            self.queue = queue
            self.metrics = metrics
            self.clock = clock
        }
    }

    let services: Services
    /// The largest accepted body, inclusive (`http.max_body_bytes`): a host collecting a body stops here
    /// and answers ``Response/error(status:code:message:)`` `413 body_too_large`.
    public let maxBodyBytes: Int
    /// The path the API is mounted under (`/notify`), or empty at the root.
    public private(set) var mountPath = ""
    /// Whether only `/healthz`, `/readyz` and `/metrics` are served (``probesOnly()``).
    public private(set) var servesProbesOnly = false
    let access: AccessControl
    let log: any LogSink
    let requests = HTTPRequestCounter()

    /// - Parameters:
    ///   - maxBodyBytes: the largest accepted body, inclusive (`http.max_body_bytes`).
    ///   - access: the API keys and their scopes (`http.api_keys`); ``AccessControl/open`` by default.
    public init(
        services: Services, maxBodyBytes: Int = 65536, access: AccessControl = .open, log: any LogSink = SilentLogSink()
    ) {
        self.services = services
        self.maxBodyBytes = maxBodyBytes
        self.access = access
        self.log = log
    }

    /// The same API mounted under `prefix` (`"/notify"`): ``handle(_:)`` then serves `/notify/v1/...` and answers
    /// `404` naming the full path for anything outside the prefix. Hosts pass paths as they arrived.
    public func mounted(at prefix: String) -> HeraldAPI {
        var mounted = self
        let trimmed = prefix.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        mounted.mountPath = trimmed.isEmpty ? "" : "/" + trimmed
        return mounted
    }

    /// The same API answering only `/healthz`, `/readyz` and `/metrics` (everything else `404`): what a worker
    /// process serves on its metrics port, so every process can be scraped and probed.
    public func probesOnly() -> HeraldAPI {
        var probes = self
        probes.servesProbesOnly = true
        return probes
    }

    /// The route a path selects, relative to the mount path; `notFound` for a path outside it (or, on a
    /// probes-only API, for anything but the probes and metrics).
    private func match(_ request: Request) -> (route: String, action: APIRoute.Action) {
        let matched = matchRoute(request)
        guard servesProbesOnly else { return matched }
        switch matched.action {
        case .health, .ready, .metrics: return matched
        case .methodNotAllowed where ["/healthz", "/readyz", "/metrics"].contains(matched.route): return matched
        default: return ("unmatched", .notFound)
        }
    }

    private func matchRoute(_ request: Request) -> (route: String, action: APIRoute.Action) {
        guard !mountPath.isEmpty else { return APIRoute.match(method: request.method, path: request.path) }
        if request.path == mountPath { return APIRoute.match(method: request.method, path: "/") }
        guard request.path.hasPrefix(mountPath + "/") else { return ("unmatched", .notFound) }
        return APIRoute.match(method: request.method, path: String(request.path.dropFirst(mountPath.count)))
    }

    /// The answer to a request whose head alone decides it, before its body is read: a missing or
    /// insufficient API key (`401`/`403`). A server calls this when a head with `Expect: 100-continue` arrives,
    /// so a client without a key gets no `100 Continue` and never sends its body; nil means "read the body and
    /// call ``handle(_:)``". The answer is counted and logged like any other.
    public func answerBeforeBody(_ head: HeraldAPI.Request) -> HeraldAPI.Response? {
        let started = ContinuousClock.now
        let (route, action) = match(head)
        guard var response = access.denial(for: action, in: head) else { return nil }
        finish(&response, for: head, route: route, notificationID: nil, started: started, log: log)
        return response
    }

    /// Answers `request`; never throws: every failure is an error response.
    /// - Parameter logger: where this request's lines go instead of the API's logger: a host passes its
    ///   per-request logger (Hummingbird's `context.logger`, Vapor's `req.logger`) so they carry its metadata.
    public func handle(_ request: HeraldAPI.Request, logger: (any LogSink)? = nil) async -> HeraldAPI.Response {
        let log = logger ?? self.log
        let started = ContinuousClock.now
        let (route, action) = match(request)
        var response: HeraldAPI.Response
        var notificationID: String?
        do {
            (response, notificationID) = try await perform(action, request)
        } catch let error as HeraldError {
            response = APIErrorBody.response(for: error)
            if error.code == .notSupported { response.headers.append(("Allow", "")) }
        } catch is CancellationError {
            response = APIErrorBody.response(status: 503, code: "cancelled", message: "the server is stopping", field: nil)
        } catch {
            // The error's type only: an error's description may quote the request (message, data, addresses).
            log.log(LogEntry(.error, "request failed", metadata: [
                "request_id": Self.requestID(from: request), "error": "\(type(of: error))",
            ]))
            response = APIErrorBody.response(status: 500, code: "internal_error", message: "internal error", field: nil)
        }
        finish(&response, for: request, route: route, notificationID: notificationID, started: started, log: log)
        return response
    }

    /// Adds the request id, counts the answer and logs the request line.
    private func finish(
        _ response: inout HeraldAPI.Response, for request: HeraldAPI.Request, route: String, notificationID: String?,
        started: ContinuousClock.Instant, log: any LogSink
    ) {
        let requestID = Self.requestID(from: request)
        response.headers.append(("X-Request-Id", requestID))
        requests.record(route: route, status: response.status)
        var metadata = [
            "request_id": requestID, "method": request.method, "route": route, "status": String(response.status),
            "duration_ms": String(format: "%.1f", (ContinuousClock.now - started).timeInterval * 1000),
        ]
        if let notificationID { metadata["notification_id"] = notificationID }
        log.log(LogEntry(response.status >= 500 ? .error : .info, "request", metadata: metadata))
    }

    /// Counts and logs a request the server answered itself (unreadable, too slow, too large, or over the
    /// connection limit), under the route label `unparsed`. Pass it to ``HTTPServer`` as its rejection observer.
    public func recordServerRejection(status: Int, reason: String) {
        requests.record(route: "unparsed", status: status)
        log.log(LogEntry(.warning, "request rejected by the server", metadata: [
            "request_id": Self.requestID(from: HeraldAPI.Request(method: "", path: "")), "status": String(status),
            "reason": reason,
        ]))
    }

    /// Checks the API key first, so a `401` or `403` never depends on (or reveals) what the body holds.
    private func perform(_ action: APIRoute.Action, _ request: HeraldAPI.Request) async throws -> (HeraldAPI.Response, String?) {
        if let denial = access.denial(for: action, in: request) { return (denial, nil) }
        switch action {
        case .accept:
            let receipt = try await accept(request)
            return (.json(receipt.deduplicated ? 200 : 202, JSONBody.encode(Self.document(for: receipt))), receipt.id.rawValue)
        case .status(let id):
            let record = try await services.status(NotificationID(id))
            return (.json(200, StatusDocument.json(for: record)), id)
        case .retry(let id):
            let receipt = try await services.retry(NotificationID(id))
            return (.json(202, JSONBody.encode(Self.document(for: receipt))), id)
        case .cancel(let id):
            let record = try await services.cancel(NotificationID(id))
            return (.json(200, StatusDocument.json(for: record)), id)
        case .contactInfo(let id):
            return (.json(200, JSONBody.encode(try await contactDocument(UserID(id)))), nil)
        case .upsertUser(let id):
            let profile = try UserProfileBody.decode(request.body, id: UserID(id), maxBodyBytes: maxBodyBytes,
                                                     contentType: request.header("Content-Type"))
            try await services.updateUser(profile)
            return (.json(200, JSONBody.encode(UserProfileBody.document(for: profile))), nil)
        case .addDevice(let id):
            let device = try DeviceBody.decode(request.body, maxBodyBytes: maxBodyBytes, contentType: request.header("Content-Type"))
            let profile = try await userAction(id) { try await services.devices.register(device, for: UserID(id)) }
            return (.json(200, JSONBody.encode(UserProfileBody.document(for: profile))), nil)
        case .removeDevice(let id, let token):
            try await userAction(id) { try await services.devices.unregister(token: token, for: UserID(id)) }
            return (HeraldAPI.Response(status: 204), nil)
        case .list:
            return (try await listNotifications(request), nil)
        case .queue:
            return (try await queueDocument(), nil)
        case .dashboard(let asset):
            var response = HeraldAPI.Response.text(200, asset.body, contentType: asset.contentType)
            response.headers += DashboardAsset.securityHeaders
            return (response, nil)
        case .throughput:
            return (try await throughputDocument(request), nil)
        case .listDeadLetters:
            return (try await listDeadLetters(request), nil)
        case .retryDeadLetters, .purgeDeadLetters:
            return (try await changeDeadLetters(request, retrying: action == .retryDeadLetters), nil)
        case .listTopics, .topic, .putTopic, .deleteTopic, .listTemplates, .template, .putTemplate, .deleteTemplate:
            return (try await performCatalog(action, request), nil)
        case .health:
            return (.json(200, JSONBody.encode(["status": "ok"])), nil)
        case .ready:
            guard (try? await services.queue.depth()) != nil else {
                throw HeraldError(.queueUnavailable, "the queue is unreachable")
            }
            return (.json(200, JSONBody.encode(["status": "ready"])), nil)
        case .metrics:
            let text = PrometheusText.render(
                metrics: services.metrics, requests: requests.snapshot, depth: try? await services.queue.depth(),
                now: services.clock.now)
            return (.text(200, text, contentType: "text/plain; version=0.0.4; charset=utf-8"), nil)
        case .methodNotAllowed(let allowed):
            var response = APIErrorBody.response(
                status: 405, code: "method_not_allowed",
                message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))", field: nil)
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            return (response, nil)
        case .notFound:
            throw HeraldError(.notFound, "no route for \(request.method) \(request.path)")
        }
    }

    private func accept(_ request: HeraldAPI.Request) async throws -> NotificationReceipt {
        try Self.checkJSONBody(request.body, contentType: request.header("Content-Type"), maxBodyBytes: maxBodyBytes)
        let notification = try NotificationRequest(json: Data(request.body))
        return try await services.send(notification, idempotencyKey: request.header("Idempotency-Key"))
    }

    /// Runs a change to the user `id`, answering `404 not_found` when the user is unknown.
    private func userAction<T>(_ id: String, _ action: () async throws -> T) async throws -> T {
        do {
            return try await action()
        } catch let error as HeraldError where error.code == .unknownUser {
            throw HeraldError(.notFound, "user \"\(id)\" is not known", field: "id")
        }
    }

    private func contactDocument(_ id: UserID) async throws -> JSONValue {
        do {
            let info = try await services.contacts.contactInfo(for: id)
            return .object([
                "email": JSONBody.optional(info.email), "sms": JSONBody.optional(info.sms),
                "preferred_channel": JSONBody.optional(info.preferredChannel?.rawValue),
                "devices": UserProfileBody.document(for: info.devices),
            ])
        } catch let error as HeraldError where error.code == .unknownUser {
            throw HeraldError(.notFound, "user \"\(id)\" is not known", field: "id")
        }
    }

    /// Size, then media type: `413 body_too_large` and `415 unsupported_media_type` come before parsing.
    static func checkJSONBody(_ body: [UInt8], contentType: String?, maxBodyBytes: Int) throws(HeraldError) {
        guard body.count <= maxBodyBytes else {
            throw HeraldError(.bodyTooLarge, "the body is larger than \(maxBodyBytes) bytes")
        }
        let parts = (contentType ?? "").lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let charsetIsUTF8 = parts.dropFirst().allSatisfy { parameter in
            !parameter.hasPrefix("charset=") || ["charset=utf-8", "charset=\"utf-8\"", "charset=utf8"].contains(parameter)
        }
        guard parts.first == "application/json", charsetIsUTF8 else {
            throw HeraldError(.unsupportedMediaType, "send the body as application/json (UTF-8)", field: "Content-Type")
        }
    }

    static func document(for receipt: NotificationReceipt) -> JSONValue {
        var document: [String: JSONValue] = [
            "id": .string(receipt.id.rawValue),
            "status": .string(receipt.status.rawValue),
            "deliveries": .array(receipt.deliveries.map { delivery in
                var fields: [String: JSONValue] = [
                    "channel": .string(delivery.channel.rawValue), "status": .string(delivery.status.rawValue),
                ]
                if let recipient = delivery.recipient { fields["recipient"] = .string(RecipientMask.mask(recipient)) }
                return .object(fields)
            }),
        ]
        if receipt.deduplicated { document["deduplicated"] = .bool(true) }
        if receipt.digested { document["digested"] = .bool(true) }
        return .object(document)
    }

    /// The caller's `X-Request-Id` when it is short and printable, else a new one.
    private static func requestID(from request: HeraldAPI.Request) -> String {
        if let given = request.header("X-Request-Id"), !given.isEmpty, given.count <= 64,
            given.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 })
        {
            return given
        }
        return "req_" + NotificationID.generate().rawValue.dropFirst(4).prefix(16)
    }
}
