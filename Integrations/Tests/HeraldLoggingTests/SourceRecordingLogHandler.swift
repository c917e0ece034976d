import Logging
import Synchronization

/// Records the `source` of every entry, which `InMemoryLogHandler` does not keep. Copies share one record.
struct SourceRecordingLogHandler: LogHandler {
    private final class Record: Sendable {
        let sources = Mutex<[String]>([])
    }

    private let record = Record()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var sources: [String] { record.sources.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        record.sources.withLock { $0.append(event.source) }
    }
}
