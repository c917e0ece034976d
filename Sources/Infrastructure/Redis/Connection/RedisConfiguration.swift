import Foundation

/// How to reach Redis: address, credentials, database and timeouts. Parsed from a
/// `redis://[user:password@]host:port/db` URL, or `redis+sentinel://[user:password@]host:port,host:port/master/db`
/// (the master found through the sentinels), by ``init(url:)``.
package struct RedisConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// A host and port.
    package struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        package var host: String
        package var port: Int

        package init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        package var description: String { "\(host):\(port)" }
    }

    /// The server, or, with ``sentinels``, the first master's address until the sentinels name one.
    package var host: String
    package var port: Int
    /// Sentinels to ask for the master called ``masterName`` (`SENTINEL get-master-addr-by-name`); empty for a
    /// server reached directly.
    package var sentinels: [Endpoint] = []
    package var masterName: String?
    /// Nodes of a Redis Cluster to discover the slot map from (`CLUSTER SLOTS`); empty when not a cluster.
    package var clusterSeeds: [Endpoint] = []
    /// On a cluster, the hash tag whose slot every command goes to (`{herald}`: every key of Herald's queue has it).
    package var clusterRoutingKey = "{herald}"
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
    /// The most idle connections of blocking commands kept for reuse (each waiting reserve uses one); more are
    /// closed as they come back. Unbounded by default: they are never more than the reserves that ever waited at once.
    package var idleBlockingLimit = Int.max
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

    /// Parses `redis://[[user]:password@]host[:port][/db]` or
    /// `redis+sentinel://[[user]:password@]host[:port],host[:port]/master[/db]` (sentinel port 26379 by default; the
    /// credentials and database are the master's).
    /// - Throws: ``RedisError`` `.invalidURL` (the message never includes the password).
    package init(url: String) throws(RedisError) {
        if url.hasPrefix("redis+sentinel://") {
            try self.init(sentinelURL: url)
            return
        }
        if url.hasPrefix("redis+cluster://") {
            try self.init(clusterURL: url)
            return
        }
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

    /// `redis+cluster://[[user]:password@]host[:port],host[:port]/` (port 6379 by default; a cluster has database 0).
    private init(clusterURL url: String) throws(RedisError) {
        let (username, password, seeds, path) = try Self.splitMultiHost(url, scheme: "redis+cluster", defaultPort: 6379)
        guard path.isEmpty else {
            throw RedisError(.invalidURL, "a cluster has only database 0: redis+cluster://host:port,host:port/")
        }
        self.init(host: seeds[0].host, port: seeds[0].port, username: username, password: password, database: 0)
        self.clusterSeeds = seeds
    }

    private init(sentinelURL url: String) throws(RedisError) {
        let (username, password, sentinels, path) = try Self.splitMultiHost(url, scheme: "redis+sentinel", defaultPort: 26379)
        guard let name = path.first, !name.isEmpty, path.count <= 2 else {
            throw RedisError(.invalidURL, "name the master: redis+sentinel://host:port,host:port/master/db")
        }
        var database = 0
        if path.count == 2 {
            guard let number = Int(path[1]), number >= 0 else {
                throw RedisError(.invalidURL, "the database must be a number, not \"\(path[1])\"")
            }
            database = number
        }
        self.init(host: sentinels[0].host, port: 6379, username: username, password: password, database: database)
        self.sentinels = sentinels
        self.masterName = name
    }

    /// Splits `scheme://[user:password@]host[:port],host[:port]/a/b` into its credentials, hosts and path parts.
    private static func splitMultiHost(_ url: String, scheme: String, defaultPort: Int) throws(RedisError)
        -> (username: String?, password: String?, endpoints: [Endpoint], path: [String])
    {
        var rest = Substring(url.dropFirst(scheme.count + 3))
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let parts = rest[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            rest = rest[rest.index(after: at)...]
            username = parts[0].isEmpty ? nil : String(parts[0]).removingPercentEncoding
            password = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]).removingPercentEncoding : nil
            if username != nil, password == nil {
                throw RedisError(.invalidURL, "a user needs a password (\(scheme)://user:password@host)")
            }
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var endpoints: [Endpoint] = []
        for item in rest[..<slash].split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty, parts.count <= 2 else {
                throw RedisError(.invalidURL, "expected \(scheme)://host:port,host:port/…")
            }
            let port = parts.count == 2 ? Int(parts[1]) : defaultPort
            guard let port, (1...65535).contains(port) else { throw RedisError(.invalidURL, "a host's port is out of range") }
            endpoints.append(Endpoint(host: String(parts[0]), port: port))
        }
        return (username, password, endpoints, rest[slash...].split(separator: "/").map(String.init))
    }

    /// `redis://host:port/db` (or the sentinel form), with credentials shown as `***`.
    package var description: String {
        let credentials = password == nil ? "" : "\(username ?? ""):***@"
        if !clusterSeeds.isEmpty {
            return "redis+cluster://\(credentials)\(clusterSeeds.map(\.description).joined(separator: ","))/"
        }
        if let masterName, !sentinels.isEmpty {
            return "redis+sentinel://\(credentials)\(sentinels.map(\.description).joined(separator: ","))/\(masterName)/\(database)"
        }
        return "redis://\(credentials)\(host):\(port)/\(database)"
    }
}
