package import HeraldDomain

/// How push channels turn a request's `data` into what their provider takes.
package enum PushPayload {
    /// FCM's `data` is a map of strings: strings stay as they are, other values become their JSON text.
    package static func stringMap(_ data: [String: JSONValue]) -> [String: JSONValue] {
        data.mapValues { value in
            if case .string = value { return value }
            return .string(value.jsonText)
        }
    }
}
