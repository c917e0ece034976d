import Foundation

/// The API's routes: which action a method and path select, and the route pattern used as a metric label.
enum APIRoute {
    enum Action: Equatable {
        case accept
        case list
        case status(String)
        case retry(String)
        case cancel(String)
        case contactInfo(String)
        case upsertUser(String)
        case addDevice(String)
        case removeDevice(String, token: String)
        case queue
        case dashboard(DashboardAsset)
        case throughput
        case listDeadLetters
        case retryDeadLetters
        case purgeDeadLetters
        case listTopics
        case topic(String)
        case putTopic(String)
        case deleteTopic(String)
        case listTemplates
        case template(String)
        case putTemplate(String)
        case deleteTemplate(String)
        case health
        case ready
        case metrics
        case methodNotAllowed([String])
        case notFound
    }

    /// Who may call an action once API keys are configured (contract §9).
    enum Requirement: Equatable {
        /// Anyone, key or not.
        case anyone
        /// Any valid key, whatever its scopes.
        case anyKey
        /// A valid key with this scope.
        case scope(HeraldAPI.Scope)
    }

    /// The route pattern (`/v1/notifications/{id}`) and action for a request.
    static func match(method: String, path: String) -> (route: String, action: Action) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            String($0).removingPercentEncoding ?? String($0)
        }
        guard path.hasPrefix("/"), !segments.contains(where: \.isEmpty) || segments == [""] else {
            return ("unmatched", .notFound)
        }
        let candidates: [(pattern: String, method: String, action: Action)]
        switch segments {
        case ["v1", "notifications"]:
            candidates = [("/v1/notifications", "POST", .accept), ("/v1/notifications", "GET", .list)]
        case ["notifications"], ["notify"]:
            candidates = [("/" + segments.joined(separator: "/"), "POST", .accept)]
        case let s where s.count == 3 && s[0] == "v1" && s[1] == "notifications":
            candidates = [("/v1/notifications/{id}", "GET", .status(s[2]))]
        case let s where s.count == 4 && s[0] == "v1" && s[1] == "notifications" && s[3] == "retry":
            candidates = [("/v1/notifications/{id}/retry", "POST", .retry(s[2]))]
        case let s where s.count == 4 && s[0] == "v1" && s[1] == "notifications" && s[3] == "cancel":
            candidates = [("/v1/notifications/{id}/cancel", "POST", .cancel(s[2]))]
        case let s where s.count == 4 && s[0] == "v1" && s[1] == "users" && s[3] == "contact-info":
            candidates = [("/v1/users/{id}/contact-info", "GET", .contactInfo(s[2]))]
        case let s where s.count == 3 && s[0] == "users" && s[2] == "contact-info":
            candidates = [("/users/{id}/contact-info", "GET", .contactInfo(s[1]))]
        case let s where s.count == 4 && s[0] == "v1" && s[1] == "users" && s[3] == "devices":
            candidates = [("/v1/users/{id}/devices", "POST", .addDevice(s[2]))]
        case let s where s.count == 5 && s[0] == "v1" && s[1] == "users" && s[3] == "devices":
            candidates = [("/v1/users/{id}/devices/{token}", "DELETE", .removeDevice(s[2], token: s[4]))]
        case let s where s.count == 3 && s[0] == "v1" && s[1] == "users":
            candidates = [("/v1/users/{id}", "PUT", .upsertUser(s[2]))]
        case ["ui"]:
            candidates = [("/ui", "GET", .dashboard(.page))]
        case ["ui", "app.js"]:
            candidates = [("/ui/app.js", "GET", .dashboard(.script))]
        case ["ui", "app.css"]:
            candidates = [("/ui/app.css", "GET", .dashboard(.style))]
        case ["v1", "queue"]:
            candidates = [("/v1/queue", "GET", .queue)]
        case ["v1", "throughput"]:
            candidates = [("/v1/throughput", "GET", .throughput)]
        case ["v1", "dead-letters"]:
            candidates = [("/v1/dead-letters", "GET", .listDeadLetters), ("/v1/dead-letters", "DELETE", .purgeDeadLetters)]
        case ["v1", "dead-letters", "retry"]:
            candidates = [("/v1/dead-letters/retry", "POST", .retryDeadLetters)]
        case ["v1", "topics"]:
            candidates = [("/v1/topics", "GET", .listTopics)]
        case let s where s.count == 3 && s[0] == "v1" && s[1] == "topics":
            candidates = [
                ("/v1/topics/{topic}", "GET", .topic(s[2])), ("/v1/topics/{topic}", "PUT", .putTopic(s[2])),
                ("/v1/topics/{topic}", "DELETE", .deleteTopic(s[2])),
            ]
        case ["v1", "templates"]:
            candidates = [("/v1/templates", "GET", .listTemplates)]
        case let s where s.count == 3 && s[0] == "v1" && s[1] == "templates":
            candidates = [
                ("/v1/templates/{name}", "GET", .template(s[2])), ("/v1/templates/{name}", "PUT", .putTemplate(s[2])),
                ("/v1/templates/{name}", "DELETE", .deleteTemplate(s[2])),
            ]
        case ["healthz"]:
            candidates = [("/healthz", "GET", .health)]
        case ["readyz"]:
            candidates = [("/readyz", "GET", .ready)]
        case ["metrics"]:
            candidates = [("/metrics", "GET", .metrics)]
        default:
            return ("unmatched", .notFound)
        }
        // HEAD is GET without the body (RFC 9110 §9.3.2): load balancers probe `/healthz` that way.
        let wanted = method == "HEAD" ? "GET" : method
        if let hit = candidates.first(where: { $0.method == wanted }) { return (hit.pattern, hit.action) }
        return (candidates[0].pattern, .methodNotAllowed(candidates.map(\.method)))
    }
}

extension APIRoute.Action {
    /// The one place each route gets its scope: the switch has no default, so a new action cannot forget one.
    /// Unknown paths and methods need a valid key too, so the route table is not shown to callers without one.
    var requirement: APIRoute.Requirement {
        switch self {
        case .accept: .scope(.send)
        case .status, .list, .queue, .throughput, .contactInfo, .metrics, .listTopics, .topic, .listTemplates, .template,
            .listDeadLetters:
            .scope(.read)
        case .retry, .cancel, .retryDeadLetters, .purgeDeadLetters, .dashboard, .upsertUser, .addDevice, .removeDevice,
            .putTopic, .deleteTopic, .putTemplate, .deleteTemplate:
            .scope(.admin)
        case .health, .ready: .anyone
        case .methodNotAllowed, .notFound: .anyKey
        }
    }
}
