import HeraldRedis
import HeraldTestSupport

extension RedisServer {
    /// A client of this server with the pool and timeouts a test needs (one connection by default).
    /// - Parameter connectTimeout: nil keeps the configuration's default.
    func client(poolSize: Int = 1, commandTimeout: Duration = .seconds(5), connectTimeout: Duration? = nil) throws
        -> RedisClient
    {
        var configuration = try RedisConfiguration(url: url)
        configuration.poolSize = poolSize
        configuration.commandTimeout = commandTimeout
        if let connectTimeout { configuration.connectTimeout = connectTimeout }
        return RedisClient(configuration: configuration)
    }
}
