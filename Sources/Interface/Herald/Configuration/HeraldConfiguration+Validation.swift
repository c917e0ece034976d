public import HeraldDomain
package import HeraldRedis

extension HeraldConfiguration {
    /// Checks what single fields cannot: routes and preferences name configured channels, templates
    /// parse, API keys are long and unique, and the chosen parts are available; and, for configurations built in code,
    /// that user ids and addresses follow ``AddressRules`` (decoding `herald.json` checks those already).
    /// - Throws: `invalid_configuration` naming the path (`routes.sales[0]: unknown channel "slak"`).
    public func validate() throws(HeraldError) {
        let problems = ConfigurationProblems()
        if queue.keyPrefix.isEmpty || queue.keyPrefix.contains(where: { "{}#".contains($0) || $0.isWhitespace }) {
            problems.record(invalid("queue.key_prefix", "must be non-empty, without braces, # or spaces"))
        }
        if !(1...RedisPartitionMap.maximum).contains(queue.partitions) {
            problems.record(invalid("queue.partitions", "must be 1 to \(RedisPartitionMap.maximum)"))
        }
        if queue.kind == .redis {
            _ = problems.collect { () throws(HeraldError) in try redisConfiguration() }
        } else {
            if queue.minReplicasAck > 0 {
                problems.record(invalid("queue.min_replicas_ack", "needs the Redis queue (queue.kind \"redis\")"))
            }
            if queue.partitions > 1 {
                problems.record(invalid("queue.partitions", "needs the Redis queue (queue.kind \"redis\")"))
            }
        }
        for topic in routes.keys.sorted() {
            guard let route = routes[topic] else { continue }
            for (index, channel) in route.channels.enumerated() where channels[channel] == nil {
                let list = route == Route(channels: route.channels) ? "" : route.isFallback ? ".fallback" : ".channels"
                problems.record(
                    invalid("routes.\(topic)\(list)[\(index)]", "unknown channel \"\(channel)\"" + channelHint(channel)))
            }
            if let digest = route.digest, !digest.isInlineTemplate, templates[TemplateName(digest.template)] == nil {
                problems.record(invalid("routes.\(topic).digest.template", "no template is called \"\(digest.template)\""))
            }
        }
        for name in channels.keys.sorted() {
            guard let settings = channels[name], let kind = settings.contactKind else { continue }
            for (index, address) in settings.to.enumerated() where !AddressRules.isValid(address, as: kind) {
                problems.record(invalid("channels.\(name).to[\(index)]", AddressRules.rule(for: kind)))
            }
        }
        if case .inline(let profiles) = users {
            for (index, profile) in profiles.enumerated() {
                if !AddressRules.isValidUserID(profile.id.rawValue) {
                    problems.record(invalid("users[\(index)].id", AddressRules.userIDRule))
                }
                for kind in [ContactKind.email, .sms] {
                    if let address = profile.contact.address(for: kind), !AddressRules.isValid(address, as: kind) {
                        problems.record(invalid("users[\(index)].\(kind.rawValue)", AddressRules.rule(for: kind)))
                    }
                }
                for (channel, field) in profile.preferences.namedChannels where channels[channel] == nil {
                    problems.record(
                        invalid("users[\(index)].\(field)", "unknown channel \"\(channel)\"" + channelHint(channel)))
                }
            }
        }
        _ = problems.collect { () throws(HeraldError) in try templateCatalog() }
        for name in templates.keys.sorted() {
            for channel in (templates[name]?.channels.keys.sorted() ?? []) where channels[channel] == nil {
                problems.record(
                    invalid("templates.\(name).channels.\(channel)", "unknown channel \"\(channel)\"" + channelHint(channel)))
            }
        }
        problems.collect { () throws(HeraldError) in try validateAccess() }
        try problems.throwIfAny()
    }

    /// ` (did you mean "slack"?)` when a configured channel is close to `name`.
    private func channelHint(_ name: ChannelName) -> String {
        Suggestion.hint(for: name.rawValue, among: channels.keys.map(\.rawValue))
    }

    /// The Redis connection settings of `queue.redis_url` (or the default local URL).
    /// - Throws: `invalid_configuration` at `queue.redis_url`, without the password in the message.
    package func redisConfiguration() throws(HeraldError) -> RedisConfiguration {
        do {
            return try RedisConfiguration(url: queue.redisURL?.value ?? QueueSettings.defaultRedisURL)
        } catch {
            throw invalid("queue.redis_url", "\(error.message) (from queue.redis_url or HERALD_REDIS_URL)")
        }
    }

    /// The templates, parsed.
    public func templateCatalog() throws(HeraldError) -> TemplateCatalog {
        var catalog = TemplateCatalog()
        for (name, settings) in templates {
            do {
                catalog.templates[name] = try MessageTemplate(settings, path: "templates.\(name)")
            } catch {
                throw HeraldError(.invalidConfiguration, error.message, field: error.field)
            }
        }
        return catalog
    }

    private func invalid(_ path: String, _ problem: String) -> HeraldError {
        HeraldError(.invalidConfiguration, "\(path): \(problem)", field: path)
    }
}
