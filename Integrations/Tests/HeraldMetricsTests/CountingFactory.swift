import CoreMetrics
import MetricsTestKit
import Synchronization

/// A `TestMetrics` that counts how many metric handlers were made.
final class CountingFactory: MetricsFactory {
    private let backing = TestMetrics()
    private let count = Mutex(0)

    var created: Int { count.withLock { $0 } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        count.withLock { $0 += 1 }
        return backing.makeCounter(label: label, dimensions: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        count.withLock { $0 += 1 }
        return backing.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        count.withLock { $0 += 1 }
        return backing.makeMeter(label: label, dimensions: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        count.withLock { $0 += 1 }
        return backing.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
