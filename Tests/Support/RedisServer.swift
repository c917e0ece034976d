public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `redis-server` on a free 127.0.0.1 port in a temporary directory, stopped by PID.
/// `scripts/test` installs Redis when it is missing.
public final class RedisServer: @unchecked Sendable {
    // @unchecked: the mutable process handle is only touched by the test that owns the server.
    public let port: Int
    public let directory: URL
    public let password: String?
    private let extraArguments: [String]
    /// Arguments before the standard ones (a sentinel's configuration file and `--sentinel`).
    private var leadingArguments: [String] = []
    private var process: Process?

    /// The `redis://` URL of this server.
    public var url: String { "redis://\(password.map { ":\($0)@" } ?? "")127.0.0.1:\(port)/0" }

    /// Starts a server; `appendOnly` turns on AOF with `appendfsync always` (for restart tests).
    /// - Parameter arguments: more `redis-server` arguments (`["--replicaof", "127.0.0.1", "6380"]`).
    public init(
        password: String? = nil, appendOnly: Bool = false, port: Int? = nil, directory: URL? = nil, arguments: [String] = [],
        sentinelOf master: (port: Int, name: String)? = nil
    ) throws {
        self.port = try port ?? freeLoopbackPort()
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("herald-redis-\(UUID())")
        self.password = password
        var standard = ["--save", "", "--protected-mode", "no", "--enable-debug-command", "local"]
        if appendOnly { standard += ["--appendonly", "yes", "--appendfsync", "always"] }
        if let password { standard += ["--requirepass", password] }
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        if let master {
            // A sentinel rewrites its configuration file, so each gets its own; quick failure detection for tests.
            let file = self.directory.appendingPathComponent("sentinel.conf")
            try Data("""
                sentinel monitor \(master.name) 127.0.0.1 \(master.port) 2
                sentinel down-after-milliseconds \(master.name) 1000
                sentinel failover-timeout \(master.name) 3000
                sentinel parallel-syncs \(master.name) 1

                """.utf8).write(to: file)
            leadingArguments = [file.path, "--sentinel"]
            self.extraArguments = arguments
        } else {
            self.extraArguments = standard + arguments
        }
        try start()
    }

    /// The process id of the running server.
    public var pid: Int32? { process?.processIdentifier }

    /// Starts (or restarts) the server with the same port and directory, and waits until it answers.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executablePath())
        process.arguments = leadingArguments + [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--daemonize", "no",
            "--logfile", directory.appendingPathComponent("redis.log").path,
        ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.answers(port: port) { return }
            usleep(20_000)
        }
        throw TestServerError("redis-server did not start on port \(port)")
    }

    /// Stops the server by PID (SIGTERM, then SIGKILL) and waits for it to exit.
    public func stop(signal: Int32? = nil) {
        let signal = signal ?? SIGTERM
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    private static func executablePath() throws -> String {
        for candidate in ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestServerError("redis-server is not installed; run scripts/test, which installs it")
    }

    /// Whether something on `port` answers a RESP PING (any reply counts, even NOAUTH).
    private static func answers(port: Int) -> Bool {
        withLoopbackSocket(port: port) { descriptor, address in
            guard socketCall(connect, descriptor, &address) == 0 else { return false }
            let ping = Array("PING\r\n".utf8)
            guard send(descriptor, ping, ping.count, 0) == ping.count else { return false }
            var reply = [UInt8](repeating: 0, count: 64)
            return recv(descriptor, &reply, reply.count, 0) > 0
        } ?? false
    }
}
