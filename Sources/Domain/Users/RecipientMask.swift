/// Shortens an address for status bodies and logs so it identifies a delivery to its owner without
/// exposing it: `+1555•••3333`, `a•••@example.com`, and push tokens to their last 6 characters.
public enum RecipientMask {
    /// The masked form of `address`.
    public static func mask(_ address: String) -> String {
        if let at = address.lastIndex(of: "@") {
            return String(address.prefix(1)) + "•••" + address[at...]
        }
        if address.hasPrefix("+"), address.count > 9 {
            return String(address.prefix(5)) + "•••" + String(address.suffix(4))
        }
        return "•••" + String(address.suffix(min(6, max(0, address.count - 2))))
    }
}
