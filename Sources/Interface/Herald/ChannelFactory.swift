import Foundation
import HeraldApplication
import HeraldChannels

/// Builds the channel implementation a configured channel names.
enum ChannelFactory {
    /// The implementation of a built-in channel type; nil for `custom`, whose implementation the host gives.
    /// - Throws: ``PushCredentialError`` for push credentials that decoding let through (settings built in code).
    static func makeChannel(_ settings: HeraldConfiguration.ChannelSettings) throws -> (any NotificationChannel)? {
        var transport: HTTPTransport { HTTPTransport(timeout: settings.timeout) }
        switch settings.kind {
        case .console:
            return ConsoleChannel()
        case .slack(let webhookURL):
            return SlackChannel(webhookURL: validatedURL(webhookURL.value), transport: transport)
        case .smtp(let smtp):
            return SMTPEmailChannel(
                configuration: SMTPEmailChannel.Configuration(
                    host: smtp.host, port: smtp.port, from: smtp.from, heloName: smtp.heloName, username: smtp.username,
                    password: smtp.password?.value, allowInsecureAuth: smtp.allowInsecureAuth, timeout: settings.timeout))
        case .sendgrid(let apiKey, let from, let baseURL):
            return SendGridChannel(apiKey: apiKey.value, from: from, baseURL: baseURL, transport: transport)
        case .twilio(let accountSID, let authToken, let from, let baseURL):
            return TwilioChannel(
                accountSID: accountSID, authToken: authToken.value, from: from, baseURL: baseURL, transport: transport)
        case .webhook(let url, let secret):
            return WebhookChannel(url: validatedURL(url.value), secret: secret?.value, transport: transport)
        case .apns(let apns):
            return try APNSChannel(
                teamID: apns.teamID, keyID: apns.keyID, privateKeyPEM: apns.privateKey.value, topic: apns.topic,
                environment: apns.environment == .sandbox ? .sandbox : .production, baseURL: apns.baseURL,
                expiration: apns.expiration, timeout: settings.timeout)
        case .fcm(let fcm):
            return try FCMChannel(
                serviceAccount: try FCMServiceAccount(json: fcm.serviceAccount.value), projectID: fcm.projectID,
                baseURL: fcm.baseURL, tokenURL: fcm.tokenURL, timeout: settings.timeout)
        case .custom:
            return nil
        }
    }

    /// A URL the configuration already validated (decoding checks scheme and host).
    private static func validatedURL(_ text: String) -> URL {
        URL(string: text) ?? URL(string: "http://invalid.invalid")!
    }
}
