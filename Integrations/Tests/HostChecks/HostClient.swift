import Foundation

/// One HTTP exchange as a host framework's test client saw it, so the same route checks run on every host.
public struct HostResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header called `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as a JSON object, or nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// `error.code` of a contract error body.
    public var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }

    /// `error.message` of a contract error body.
    public var errorMessage: String? { (json?["error"] as? [String: Any])?["message"] as? String }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends a request through a host framework (its own test client) and returns what came back.
public protocol HostClient: Sendable {
    func send(_ method: String, _ path: String, headers: [(name: String, value: String)], body: [UInt8]) async throws
        -> HostResponse
}

extension HostClient {
    public func send(_ method: String, _ path: String, headers: [(name: String, value: String)] = []) async throws
        -> HostResponse
    {
        try await send(method, path, headers: headers, body: [])
    }

    /// A JSON body with its `Content-Type`.
    public func send(_ method: String, _ path: String, json: String, headers: [(name: String, value: String)] = [])
        async throws -> HostResponse
    {
        try await send(
            method, path, headers: [(name: "Content-Type", value: "application/json")] + headers, body: Array(json.utf8))
    }
}
