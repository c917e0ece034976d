public import Foundation
public import HeraldDomain

extension HeraldConfiguration {
    /// Loads the configuration the way `herald` does: the embedded default when there is no file,
    /// else the file at `path` (or `HERALD_CONFIG`); then the environment overrides
    /// (`HERALD_REDIS_URL`, `HERALD_HOST`, `HERALD_PORT`); then ``validate()``.
    /// - Throws: `invalid_configuration` naming the JSON path (or environment variable) at fault.
    public static func load(
        path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(HeraldError) -> HeraldConfiguration {
        var configuration: HeraldConfiguration
        if let path = path ?? environment["HERALD_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let data: Data
            guard FileManager.default.fileExists(atPath: path) else {
                throw HeraldError(
                    .invalidConfiguration,
                    "cannot read the configuration file \(path): no such file (in \(FileManager.default.currentDirectoryPath)); "
                        + "create it, or use HeraldConfiguration.embeddedDefault",
                    field: "")
            }
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
                throw HeraldError(
                    .invalidConfiguration, "cannot read the configuration file \(path): \(reason)", field: "",
                    underlying: error)
            }
            configuration = try decode(data, environment: environment)
        } else {
            configuration = embeddedDefault
        }
        try configuration.applyOverrides(from: environment)
        try configuration.validate()
        return configuration
    }

    /// Applies `HERALD_REDIS_URL` (which implies the Redis queue), `HERALD_HOST` and `HERALD_PORT`.
    public mutating func applyOverrides(from environment: [String: String]) throws(HeraldError) {
        if let url = environment["HERALD_REDIS_URL"], !url.isEmpty {
            queue.kind = .redis
            queue.redisURL = Secret(url)
        }
        if let host = environment["HERALD_HOST"], !host.isEmpty {
            http.host = host
        }
        if let port = environment["HERALD_PORT"], !port.isEmpty {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw HeraldError(
                    .invalidConfiguration, "HERALD_PORT: must be a port number, not \"\(port)\"", field: "HERALD_PORT")
            }
            http.port = number
        }
    }
}
