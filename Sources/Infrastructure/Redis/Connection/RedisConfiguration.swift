import Foundation

/// How to reach Redis: address, credentials, database and timeouts. Parsed from a
/// `redis://[user:password@]host:port/db` URL by ``init(url:)``.
package struct RedisConfiguration: Hashable, Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    /// The ACL user (Redis 6+); nil authenticates as `default` with ``password`` alone.
    package var username: String?
    /// Sent with `AUTH`; never printed.
    package var password: String?
    /// The database `SELECT`ed on every connection.
    package var database: Int
    /// How long connecting (TCP and the AUTH/SELECT handshake) may take.
    package var connectTimeout: Duration
    /// How long an ordinary command's reply may take before the connection is discarded.
    package var commandTimeout: Duration
    /// How much longer than a blocking command's server-side wait its reply may take.
    package var blockingTimeoutMargin: Duration
    /// Connections shared by ordinary commands (each one pipelines many callers).
    package var poolSize: Int
    /// The `CLIENT SETNAME` of Herald's connections, to find them in `CLIENT LIST`.
    package var clientName: String

    package init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(5),
        blockingTimeoutMargin: Duration = .seconds(2), poolSize: Int = 2, clientName: String = "herald"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.blockingTimeoutMargin = blockingTimeoutMargin
        self.poolSize = max(1, poolSize)
        self.clientName = clientName
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    /// - Throws: ``RedisError`` `.invalidURL` (the message never includes the password).
    package init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url), components.scheme == "redis" else {
            throw RedisError(.invalidURL, "expected redis://[user:password@]host:port/db")
        }
        guard let host = components.host, !host.isEmpty else { throw RedisError(.invalidURL, "the URL has no host") }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw RedisError(.invalidURL, "port \(port) is out of range") }
        var database = 0
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw RedisError(.invalidURL, "the path must be a database number, not \"\(path)\"")
            }
            database = number
        }
        let username = components.percentEncodedUser.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        if username != nil, password == nil {
            throw RedisError(.invalidURL, "a user needs a password (redis://user:password@host)")
        }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// `redis://host:port/db`, with credentials shown as `***`.
    package var description: String {
        let credentials = password == nil ? "" : "\(username ?? ""):***@"
        return "redis://\(credentials)\(host):\(port)/\(database)"
    }
}
