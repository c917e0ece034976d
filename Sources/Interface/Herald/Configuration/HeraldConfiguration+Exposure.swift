public import HeraldDomain

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HeraldConfiguration.HTTPSettings {
    /// Whether ``host`` reaches this machine only: `localhost`, an address in `127.0.0.0/8`, or `::1` (also as
    /// `::ffff:127.x.x.x`). Any other name counts as reachable from elsewhere, whatever it resolves to.
    public var isLoopbackHost: Bool {
        if host.lowercased() == "localhost" { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 { return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127 }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, host, &ipv6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: ipv6) { Array($0) }
        let mappedIPv4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        return bytes == [UInt8](repeating: 0, count: 15) + [1] || (mappedIPv4 && bytes[12] == 127)
    }

    /// Whether the API would answer anyone who can reach it: no API keys on a non-loopback ``host``.
    public var isOpenBeyondLoopback: Bool { access.apiKeys.isEmpty && !isLoopbackHost }

    /// Refuses to serve an API open beyond loopback unless `http.allow_unauthenticated` says so (contract §9).
    /// - Throws: `invalid_configuration` at `http.api_keys`.
    public func requireKeysBeyondLoopback() throws(HeraldError) {
        guard isOpenBeyondLoopback, !access.allowUnauthenticated else { return }
        throw HeraldError(
            .invalidConfiguration,
            "http.api_keys: http.host \"\(host)\" is not a loopback address and no API keys are configured; "
                + "add http.api_keys, listen on 127.0.0.1, or set http.allow_unauthenticated: true",
            field: "http.api_keys")
    }
}
