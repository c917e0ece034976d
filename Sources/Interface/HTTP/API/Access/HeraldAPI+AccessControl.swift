import Foundation
import HeraldCrypto

extension HeraldAPI {
    /// Who may call which route (contract §9): with no keys everything is open; with any key, every route but
    /// `/healthz` and `/readyz` needs `Authorization: Bearer <key>` (or, for browsers, `Basic` with the key as the
    /// password) with the route's ``Scope``.
    ///
    /// It is part of ``HeraldAPI``, not of a server, so a host mounting the API gets the same checks.
    public struct AccessControl: Sendable {
        /// The accepted keys; empty means no authentication at all.
        public var keys: [APIKey]
        /// Whether `GET /metrics` is served without a key (`http.public_metrics`).
        public var publicMetrics: Bool

        public init(keys: [APIKey] = [], publicMetrics: Bool = false) {
            self.keys = keys
            self.publicMetrics = publicMetrics
        }

        /// No keys: every route is open, as on a loopback-only `herald serve`.
        public static var open: AccessControl { AccessControl() }

        /// The `401` or `403` answer for `request` to `action`, or nil when it may proceed.
        func denial(for action: APIRoute.Action, in request: HeraldAPI.Request) -> HeraldAPI.Response? {
            guard !keys.isEmpty else { return nil }
            let requirement: APIRoute.Requirement = action == .metrics && publicMetrics ? .anyone : action.requirement
            if requirement == .anyone { return nil }
            guard let scopes = scopes(presentedIn: request) else {
                var response = Self.unauthorized(request.header("Authorization") == nil)
                // A browser opening the dashboard cannot send a bearer token: offer it Basic, the key as password.
                if case .dashboard = action { response.headers.append(("WWW-Authenticate", #"Basic realm="herald dashboard""#)) }
                return response
            }
            guard case .scope(let needed) = requirement, !scopes.contains(needed) else { return nil }
            return Self.forbidden(needed)
        }

        /// The scopes of the one bearer key in `request`, or nil when it has none, several, or an unknown one.
        /// Every configured digest is compared, whether or not an earlier one matched.
        private func scopes(presentedIn request: HeraldAPI.Request) -> Set<Scope>? {
            let fields = request.headers.filter { $0.name.lowercased() == "authorization" }
            guard fields.count == 1, let token = Self.bearerToken(fields[0].value) ?? Self.basicPassword(fields[0].value)
            else { return nil }
            let presented = SHA256.hash(Array(token.utf8))
            var granted: Set<Scope>?
            for key in keys where key.matches(digest: presented) {
                granted = (granted ?? []).union(key.scopes)
            }
            return granted
        }

        /// The token of `Bearer <token>` (the scheme is case-insensitive, RFC 9110 §11.1).
        private static func bearerToken(_ value: String) -> String? {
            let parts = value.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return String(parts[1])
        }

        /// The password of `Basic <base64(user:password)>`: how a browser sends a key to the dashboard (and the
        /// API calls it makes); the user name is ignored.
        private static func basicPassword(_ value: String) -> String? {
            let parts = value.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "basic", let data = Data(base64Encoded: String(parts[1])),
                let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return nil }
            let password = String(text[text.index(after: colon)...])
            return password.isEmpty ? nil : password
        }

        private static func unauthorized(_ missing: Bool) -> HeraldAPI.Response {
            var response = APIErrorBody.response(
                status: 401, code: "unauthorized",
                message: missing ? "send an API key: Authorization: Bearer <key>" : "the API key is not valid",
                field: "Authorization")
            response.headers.append(
                ("WWW-Authenticate", missing ? #"Bearer realm="herald""# : #"Bearer realm="herald", error="invalid_token""#))
            return response
        }

        private static func forbidden(_ needed: Scope) -> HeraldAPI.Response {
            var response = APIErrorBody.response(
                status: 403, code: "forbidden", message: "this API key lacks the \"\(needed)\" scope", field: nil)
            response.headers.append(
                ("WWW-Authenticate", #"Bearer realm="herald", error="insufficient_scope", scope="\#(needed)""#))
            return response
        }
    }
}
