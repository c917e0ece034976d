import Foundation
import HeraldApplication
import HeraldDomain

/// `GET /v1/queue` (contract §12): totals, per-channel counts with the oldest ready age, and the live workers.
extension HeraldAPI {
    func queueDocument() async throws -> HeraldAPI.Response {
        let (depth, statistics) = try await services.inspectQueue()
        let now = statistics.takenAt
        func age(_ date: Date?) -> JSONValue { date.map { .number(max(0, (now.timeIntervalSince($0) * 1000).rounded() / 1000)) } ?? .null }
        let channels: [JSONValue] = statistics.channels.keys.sorted().map { name in
            let channel = statistics.channels[name]!
            return .object([
                "channel": .string(name.rawValue), "ready": .number(Double(channel.ready)),
                "scheduled": .number(Double(channel.scheduled)), "in_flight": .number(Double(channel.inFlight)),
                "dead": .number(Double(channel.dead)), "oldest_ready_age_s": age(channel.oldestReadySince),
            ])
        }
        let workers: [JSONValue] = statistics.workers.map { worker in
            .object([
                "id": .string(worker.id.rawValue),
                "last_heartbeat": worker.lastHeartbeat.map { .string(StatusDocument.timestamp($0)) } ?? .null,
                "heartbeat_age_s": age(worker.lastHeartbeat), "in_flight": .number(Double(worker.inFlight)),
            ])
        }
        return .json(200, JSONBody.encode(.object([
            "totals": .object([
                "ready": .number(Double(depth.ready)), "scheduled": .number(Double(depth.scheduled)),
                "in_flight": .number(Double(depth.inFlight)), "dead": .number(Double(depth.dead)),
                "oldest_ready_age_s": age(depth.oldestReadySince),
            ]),
            "channels": .array(channels), "workers": .array(workers), "complete": .bool(statistics.isComplete),
        ])))
    }

    /// `GET /v1/throughput?minutes=15`: per minute, oldest first, accepted notifications and sent, retried and
    /// failed attempts, counted by the queue (on Redis across every process).
    func throughputDocument(_ request: HeraldAPI.Request) async throws -> HeraldAPI.Response {
        let query = try QueryParameters(request.query, allowing: ["minutes"])
        let minutes = try await services.throughput.throughput(minutes: try query.integer("minutes", in: 1...60, default: 15))
        return .json(200, JSONBody.encode(.object(["minutes": .array(minutes.map { minute in
            .object([
                "start": .string(StatusDocument.timestamp(minute.start)), "accepted": .number(Double(minute.accepted)),
                "sent": .number(Double(minute.sent)), "retried": .number(Double(minute.retried)),
                "failed": .number(Double(minute.failed)),
            ])
        })])))
    }
}
