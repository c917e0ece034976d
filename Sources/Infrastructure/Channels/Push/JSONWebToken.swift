package import HeraldCrypto
package import HeraldDomain

/// A JWS compact serialization (RFC 7515 §3.1) of `claims` under `header`, signed with a key of Herald's own
/// crypto: what APNs takes as its provider token (ES256) and Google's token endpoint as an assertion (RS256).
package enum JSONWebToken {
    /// `base64url(header).base64url(claims).base64url(signature)`; `header` gets `alg` from the key.
    package static func compact(header: [String: JSONValue], claims: [String: JSONValue], key: SigningKey) -> String {
        var header = header
        header["alg"] = .string(key.algorithm)
        let signingInput = Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "."
            + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        return signingInput + "." + Base64URL.encode(key.signature(for: Array(signingInput.utf8)))
    }
}
