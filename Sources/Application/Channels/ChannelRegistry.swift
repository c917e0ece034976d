public import HeraldDomain

/// The channels a Herald instance can send through, by name.
public struct ChannelRegistry: Sendable {
    private var registrations: [ChannelName: ChannelRegistration]

    /// Registers each of `registrations`; a later one replaces an earlier one of the same name.
    public init(_ registrations: [ChannelRegistration] = []) {
        self.registrations = [:]
        for registration in registrations { register(registration) }
    }

    /// Adds or replaces a channel.
    public mutating func register(_ registration: ChannelRegistration) {
        registrations[registration.name] = registration
    }

    /// The registration called `name`.
    public subscript(name: ChannelName) -> ChannelRegistration? { registrations[name] }

    /// The configured names, sorted.
    public var names: [ChannelName] { registrations.keys.sorted() }

    /// What routing needs to know of every channel.
    public var descriptors: [ChannelName: ChannelDescriptor] { registrations.mapValues(\.descriptor) }
}
