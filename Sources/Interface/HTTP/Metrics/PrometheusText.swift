import Foundation
import HeraldApplication
import HeraldDomain

/// Renders Herald's metrics in the Prometheus text exposition format (version 0.0.4).
enum PrometheusText {
    static func render(
        metrics: DeliveryMetrics, requests: [String: [Int: Int]], depth: QueueDepth?, now: Date
    ) -> String {
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        family("herald_notifications_accepted_total", "counter", "Notifications accepted by this process.")
        lines.append("herald_notifications_accepted_total \(metrics.acceptedCount)")
        family("herald_deliveries_total", "counter", "Delivery attempts by this process, by channel and outcome.")
        for (channel, outcomes) in metrics.deliveryCounts.sorted(by: { $0.key < $1.key }) {
            for outcome in DeliveryMetrics.Outcome.allCases {
                let labels = "channel=\"\(escape(channel.rawValue))\",outcome=\"\(outcome.rawValue)\""
                lines.append("herald_deliveries_total{\(labels)} \(outcomes[outcome] ?? 0)")
            }
        }
        family("herald_queue_up", "gauge", "1 when the queue answered this scrape, 0 when it is unreachable.")
        lines.append("herald_queue_up \(depth == nil ? 0 : 1)")
        if let depth {
            family("herald_queue_ready", "gauge", "Deliveries waiting to be reserved.")
            lines.append("herald_queue_ready \(depth.ready)")
            family("herald_queue_inflight", "gauge", "Deliveries reserved by workers.")
            lines.append("herald_queue_inflight \(depth.inFlight)")
            family("herald_queue_scheduled", "gauge", "Deliveries waiting for a retry time.")
            lines.append("herald_queue_scheduled \(depth.scheduled)")
            family("herald_queue_dead", "gauge", "Dead-lettered deliveries.")
            lines.append("herald_queue_dead \(depth.dead)")
            family("herald_queue_oldest_ready_age_seconds", "gauge", "Age of the oldest ready delivery (0 when none).")
            let age = depth.oldestReadySince.map { max(0, now.timeIntervalSince($0)) } ?? 0
            lines.append("herald_queue_oldest_ready_age_seconds \(String(format: "%.3f", age))")
        }
        family("herald_http_requests_total", "counter", "HTTP requests answered, by route and status.")
        for (route, statuses) in requests.sorted(by: { $0.key < $1.key }) {
            for (status, count) in statuses.sorted(by: { $0.key < $1.key }) {
                lines.append("herald_http_requests_total{route=\"\(escape(route))\",status=\"\(status)\"} \(count)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
