/// Decides which channels a request goes to, with the contract's precedence:
/// explicit channels, else the topic's route, else the user's preferred channel. The user's channel opt-outs skip
/// any of them; the topic's mute and per-channel opt-outs skip routed and preferred ones unless `critical`.
/// A topic without a route is `unknown_topic` only when there is no preferred channel to fall back on.
public struct TargetResolver: Sendable {
    public var routes: RoutingTable
    public var channels: [ChannelName: ChannelDescriptor]

    public init(routes: RoutingTable, channels: [ChannelName: ChannelDescriptor]) {
        self.routes = routes
        self.channels = channels
    }

    /// The targets of `request` for `user` (nil when the request names no user), deduplicated in order.
    /// Channels with a delivery per recipient get one target per address (the user's, else the channel's `to`).
    /// - Throws: `unknown_channel`, `unknown_topic`, `missing_target` or `no_contact`, each naming its field.
    public func targets(for request: NotificationRequest, user: UserProfile?) throws(HeraldError) -> [DeliveryTarget] {
        var targets = try unvalidatedTargets(for: request, user: user)
        if targets.contains(where: { $0.step != nil }) {
            // A chain step the user cannot be reached on is skipped, and the chain starts at the next one; only a
            // chain with no reachable step is `no_contact`.
            let original = targets
            for index in targets.indices where !targets[index].isSkipped {
                guard let descriptor = channels[targets[index].channel], !descriptor.canReach(user?.contact) else { continue }
                targets[index].skipReason = "no \(descriptor.contactKind?.rawValue ?? "") contact for this fallback step"
            }
            if targets.allSatisfy(\.isSkipped) { try requireReachable(original, user: user) }
        }
        try requireReachable(targets, user: user)
        return targets.flatMap { target -> [DeliveryTarget] in
            guard let descriptor = channels[target.channel], descriptor.deliversPerRecipient else { return [target] }
            var seen: Set<String> = []
            let recipients = descriptor.recipients(for: user?.contact).filter { seen.insert($0).inserted }
            guard !recipients.isEmpty else { return [target] }
            return recipients.map {
                DeliveryTarget(channel: target.channel, recipient: $0, skipReason: target.skipReason, step: target.step)
            }
        }
    }

    private func requireReachable(_ targets: [DeliveryTarget], user: UserProfile?) throws(HeraldError) {
        for target in targets where !target.isSkipped {
            guard let descriptor = channels[target.channel] else {
                throw HeraldError(
                    .unknownChannel, "channel \"\(target.channel)\" is not configured", field: "channels")
            }
            guard descriptor.canReach(user?.contact) else {
                let kind = descriptor.contactKind?.rawValue ?? ""
                let whom = user.map { "user \"\($0.id)\" has no \(kind) address" } ?? "the request names no user"
                throw HeraldError(
                    .noContact,
                    "channel \"\(target.channel)\" needs an \(kind) address: \(whom) and the channel has no default \"to\"",
                    field: "user_id")
            }
        }
    }

    private func unvalidatedTargets(
        for request: NotificationRequest, user: UserProfile?
    ) throws(HeraldError) -> [DeliveryTarget] {
        let preferences = user?.preferences ?? UserPreferences()
        func target(_ channel: ChannelName, byTopic: Bool) -> DeliveryTarget {
            DeliveryTarget(channel: channel, skipReason: preferences.skipReason(
                channel: channel, topic: request.topic, byTopic: byTopic, critical: request.critical))
        }
        if !request.fallback.isEmpty {
            for (index, channel) in request.fallback.enumerated() where channels[channel] == nil {
                throw HeraldError(
                    .unknownChannel, "channel \"\(channel)\" is not configured", field: "fallback[\(index)]")
            }
            return deduplicated(request.fallback).enumerated().map { step, channel in
                var chained = target(channel, byTopic: false)
                chained.step = step
                return chained
            }
        }
        if !request.channels.isEmpty {
            for (index, channel) in request.channels.enumerated() where channels[channel] == nil {
                throw HeraldError(
                    .unknownChannel, "channel \"\(channel)\" is not configured", field: "channels[\(index)]")
            }
            return deduplicated(request.channels).map { target($0, byTopic: false) }
        }
        if let topic = request.topic, let route = routes.route(for: topic) {
            let isChain = route.isFallback
            return deduplicated(route.channels).enumerated().map { step, channel in
                var routedTarget = target(channel, byTopic: true)
                if isChain { routedTarget.step = step }
                return routedTarget
            }
        }
        if let preferred = preferences.preferredChannel {
            return [target(preferred, byTopic: true)]
        }
        if let topic = request.topic {
            throw HeraldError(.unknownTopic, "topic \"\(topic)\" has no route", field: "topic")
        }
        throw HeraldError(
            .missingTarget, "name channels, a routed topic, or a user with a preferred channel", field: "channels")
    }

    private func deduplicated(_ names: [ChannelName]) -> [ChannelName] {
        var seen: Set<ChannelName> = []
        return names.filter { seen.insert($0).inserted }
    }
}
