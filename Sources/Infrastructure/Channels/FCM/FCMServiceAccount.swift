public import Foundation
package import HeraldCrypto
import HeraldDomain

/// The parts of a Google service-account JSON key file the FCM channel needs: who signs (`client_email`,
/// `private_key_id`), with what (`private_key`, an RSA key in PEM), where tokens come from (`token_uri`), and
/// the project (`project_id`).
public struct FCMServiceAccount: Sendable, CustomStringConvertible {
    public let clientEmail: String
    public let privateKeyID: String?
    public let tokenURI: URL
    public let projectID: String?
    package let signingKey: RSAPrivateKey

    /// Parses the file's text.
    /// - Throws: ``PushCredentialError`` naming the missing or unusable field (never quoting the key).
    public init(json text: String) throws(PushCredentialError) {
        guard case .object(let members)? = try? JSONValue.parse(Data(text.utf8)) else {
            throw PushCredentialError("the service account is not a JSON object (give the key file's text)")
        }
        func field(_ name: String) throws(PushCredentialError) -> String {
            guard case .string(let value)? = members[name], !value.isEmpty else {
                throw PushCredentialError("the service account has no \"\(name)\"")
            }
            return value
        }
        if case .string(let type)? = members["type"], type != "service_account" {
            throw PushCredentialError("the service account's \"type\" is \"\(type)\", not \"service_account\"")
        }
        clientEmail = try field("client_email")
        let tokenText = (try? field("token_uri")) ?? "https://oauth2.googleapis.com/token"
        guard let tokenURI = URL(string: tokenText), ["http", "https"].contains(tokenURI.scheme?.lowercased() ?? ""),
            tokenURI.host?.isEmpty == false
        else { throw PushCredentialError("the service account's \"token_uri\" is not an http(s) URL") }
        self.tokenURI = tokenURI
        privateKeyID = try? field("private_key_id")
        projectID = try? field("project_id")
        let key: SigningKey
        do {
            key = try SigningKey.parse(pem: try field("private_key"))
        } catch let error as PushCredentialError {
            throw error
        } catch {
            throw PushCredentialError("the service account's \"private_key\" is unusable: \(error)")
        }
        guard case .rsa(let rsa) = key else {
            throw PushCredentialError("the service account's \"private_key\" is not an RSA key (FCM signs with RS256)")
        }
        signingKey = rsa
    }

    public var description: String {
        "FCMServiceAccount(client: \(clientEmail), project: \(projectID ?? "-"), privateKey: ***)"
    }
}
