import Foundation
import Herald

/// Scenario 6 of `herald demo`: a user with two iPhones and an Android phone gets one push per device through
/// Herald's real APNs and FCM channels, signed with fake credentials (``DemoCredentials``) and sent to local
/// stand-ins (``DemoPushProviders``); the stand-in calls one iPhone's token unregistered, and Herald removes it.
struct DemoPushScenario {
    static let iPhone = "a1b2c3d4" + String(repeating: "0", count: 48) + "11aa22bb"
    static let oldIPhone = "f0e1d2c3" + String(repeating: "9", count: 48) + "deadbeef"
    static let pixel = "dPixel8:APA91b" + String(repeating: "Hq", count: 20) + "_demo"

    /// Plays the scenario and returns the notification's final record.
    static func play() async throws -> NotificationRecord {
        print("\n6. A user with two iPhones and an Android phone; push through APNs and FCM (fake credentials, local stand-ins)")
        let providers = try DemoPushProviders(unregisteredToken: oldIPhone)
        let herald = try Herald(configuration: try configuration(providers), logger: StandardErrorLogSink(minimumLevel: .error))
        defer { herald.shutdown() }
        let request = try NotificationRequest(json: Data(
            #"{"topic": "security", "user_id": "ana", "subject": "New sign-in", "message": "Was it you? Tap to review.", "data": {"session": "s-42"}, "collapse_key": "sign-in"}"#
                .utf8))
        let receipt = try await herald.send(request)
        let deliveries = receipt.deliveries.map { "\($0.channel) \($0.recipient.map(RecipientMask.mask) ?? "")" }
        print("   POST {topic: security, user_id: ana, …} → 202 \(receipt.id): \(deliveries.count) deliveries, one per device")
        print("     " + deliveries.joined(separator: ", "))
        try await herald.worker.drain(waitForRetries: { try await SystemClock().sleep(until: $0) })
        for sent in providers.requests {
            print("   " + describe(sent))
        }
        let devices = try await herald.contactInfo(for: "ana").devices.map { "\($0.platform.rawValue) \(RecipientMask.mask($0.token))" }
        print("   ana's devices now: \(devices.joined(separator: ", ")) (the unregistered token was removed)")
        await providers.shutdown()
        return try await herald.status(of: receipt.id)
    }

    private static func configuration(_ providers: DemoPushProviders) throws -> HeraldConfiguration {
        let account: [String: String] = [
            "type": "service_account", "project_id": "herald-demo", "private_key_id": "demo-key-1",
            "private_key": DemoCredentials.serviceAccountKey, "client_email": "herald-demo@herald-demo.iam.gserviceaccount.com",
            "token_uri": providers.baseURL + "/token",
        ]
        let accountJSON = String(decoding: try JSONSerialization.data(withJSONObject: account), as: UTF8.self)
        let json = """
            {"channels": {
               "ios": {"type": "apns", "team_id": "DEMOTEAM01", "key_id": "DEMOKEY001", "private_key": "env:DEMO_APNS_P8",
                       "topic": "com.example.herald-demo", "base_url": "\(providers.baseURL)"},
               "android": {"type": "fcm", "service_account": "env:DEMO_FCM_SA", "base_url": "\(providers.baseURL)"}},
             "routes": {"security": ["ios", "android"]},
             "users": [{"id": "ana", "devices": [
                {"token": "\(iPhone)", "platform": "apns"}, {"token": "\(oldIPhone)", "platform": "apns"},
                {"token": "\(pixel)", "platform": "fcm"}]}]}
            """
        return try HeraldConfiguration.decode(
            Data(json.utf8), environment: ["DEMO_APNS_P8": DemoCredentials.apnsKey, "DEMO_FCM_SA": accountJSON])
    }

    /// One line per provider request: where it went, the headers that matter, and the JWT's header and claims.
    private static func describe(_ request: DemoPushProviders.Request) -> String {
        if request.path == "/token" {
            let form = String(decoding: request.body, as: UTF8.self)
            let assertion = form.split(separator: "&").first { $0.hasPrefix("assertion=") }.map { String($0.dropFirst(10)) }
            return "Google token endpoint ← jwt-bearer grant, assertion \(jwtSummary(assertion ?? ""))"
        }
        if request.path.hasPrefix("/3/device/") {
            let token = String(request.path.dropFirst("/3/device/".count))
            let jwt = String((request.header("authorization") ?? "").dropFirst("bearer ".count))
            return "APNs ← \(RecipientMask.mask(token)): apns-id \(request.header("apns-id") ?? "-"), priority "
                + "\(request.header("apns-priority") ?? "-"), collapse \(request.header("apns-collapse-id") ?? "-"), "
                + "JWT \(jwtSummary(jwt))" + (token == oldIPhone ? " → 410 Unregistered" : " → 200")
        }
        return "FCM ← \(request.path), Authorization: Bearer \(String((request.header("authorization") ?? "").suffix(17))) → 200"
    }

    /// `{"alg":"ES256","kid":"…"} {"iss":"…","iat":…}`: the decoded header and claims (the signature left out).
    private static func jwtSummary(_ jwt: String) -> String {
        jwt.split(separator: ".").prefix(2).map { part -> String in
            var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            text += String(repeating: "=", count: (4 - text.count % 4) % 4)
            return Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        }.joined(separator: " ")
    }
}
