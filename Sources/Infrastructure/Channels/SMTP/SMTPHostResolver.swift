import HeraldSockets
import Synchronization

/// Looks up SMTP servers' host names without blocking an event loop or the cooperative pool.
///
/// `getaddrinfo` blocks (hosts file, DNS), so a lookup runs on a short-lived dedicated thread
/// (`herald-resolve`). Sends that need the same host while it runs wait for that one lookup, and its
/// answer is kept for ``lifetime``, so a busy channel starts about one such thread every half minute,
/// not one per message. A failed lookup is not kept: the next send asks again. Numeric addresses never
/// come here (``SocketAddress/numeric(host:port:)`` reads them on the loop).
final class SMTPHostResolver: Sendable {
    typealias Completion = @Sendable (Result<[SocketAddress], SocketError>) -> Void

    /// How long an answer is used before the host is looked up again.
    static let lifetime = Duration.seconds(30)
    /// The one resolver every SMTP channel of the process shares.
    static let shared = SMTPHostResolver()

    private struct Key: Hashable {
        let host: String
        let port: Int
    }

    private enum Entry {
        case resolved([SocketAddress], until: ContinuousClock.Instant)
        case resolving(waiters: [Completion])
    }

    private enum Plan {
        case use([SocketAddress])
        case wait
        case lookUp
    }

    private let entries = Mutex<[Key: Entry]>([:])

    /// Tells `completion` the addresses of `host` (on the lookup's thread, or on the caller's when known).
    func resolve(host: String, port: Int, _ completion: @escaping Completion) {
        let key = Key(host: host, port: port)
        let plan: Plan = entries.withLock { entries in
            switch entries[key] {
            case .resolved(let addresses, let until) where ContinuousClock.now < until:
                return .use(addresses)
            case .resolving(let waiters):
                entries[key] = .resolving(waiters: waiters + [completion])
                return .wait
            case .resolved, nil:
                entries[key] = .resolving(waiters: [completion])
                return .lookUp
            }
        }
        switch plan {
        case .use(let addresses): return completion(.success(addresses))
        case .wait: return
        case .lookUp: break
        }
        do {
            try DedicatedThread.start(name: "herald-resolve") { [self] in
                let result = Result { () throws(SocketError) in try SocketAddress.resolve(host: host, port: port) }
                finish(key, with: result)
            }
        } catch {
            finish(key, with: .failure(error))
        }
    }

    private func finish(_ key: Key, with result: Result<[SocketAddress], SocketError>) {
        let waiters = entries.withLock { entries -> [Completion] in
            guard case .resolving(let waiters) = entries[key] else { return [] }
            if case .success(let addresses) = result {
                entries[key] = .resolved(addresses, until: .now + Self.lifetime)
            } else {
                entries[key] = nil
            }
            return waiters
        }
        for waiter in waiters { waiter(result) }
    }
}
