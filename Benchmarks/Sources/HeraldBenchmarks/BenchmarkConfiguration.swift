import Herald

/// The embedded default (route `sales` → channel `slack`) with `workers` loops, on the memory queue or on
/// Redis under `prefix` (a fresh one unless given, so runs do not see each other's units), finished records kept
/// 10 minutes so a long run does not fill Redis.
func benchmarkConfiguration(redisURL: String?, workers: Int, prefix: String? = nil) -> HeraldConfiguration {
    var configuration = HeraldConfiguration.embeddedDefault
    configuration.workers.concurrency = workers
    if let redisURL {
        configuration.queue.kind = .redis
        configuration.queue.redisURL = Secret(redisURL)
        configuration.queue.keyPrefix = prefix ?? "bench-\(NotificationID.generate().rawValue.suffix(8))"
        configuration.queue.recordRetention = .seconds(600)
    }
    return configuration
}
