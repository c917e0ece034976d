import Foundation
import Herald
import HeraldTesting
import Synchronization
import Testing

/// A push stand-in that answers by device token, so each device's delivery can be seen on its own.
final class TokenScriptedChannel: NotificationChannel {
    private let answers: Mutex<[String: [DeliveryOutcome]]>
    private let sends = Mutex<[String]>([])

    init(_ answers: [String: [DeliveryOutcome]] = [:]) {
        self.answers = Mutex(answers)
    }

    func send(_ message: OutgoingMessage) async throws -> DeliveryOutcome {
        let token = message.recipients.joined(separator: ",")
        sends.withLock { $0.append(token) }
        return answers.withLock { answers in
            guard var queue = answers[token], !queue.isEmpty else { return .sent }
            let next = queue.removeFirst()
            answers[token] = queue
            return next
        }
    }

    /// The token of every send, in order.
    var tokens: [String] { sends.withLock { $0 } }
}

/// Devices on users (contract §10): the device routes, `devices` in `PUT /v1/users/{id}` and contact-info, and one
/// delivery per device.
@Suite struct DeviceRoutesTests {
    static let iPhone = String(repeating: "a1", count: 32)
    static let iPad = String(repeating: "b2", count: 32)
    static let pixel = "fcm-token_" + String(repeating: "Zx9:", count: 10)

    static func configuration() throws -> HeraldConfiguration {
        try HeraldConfiguration.decode(Data("""
            {"channels": {"ios": {"type": "custom", "contact": "apns"}, "android": {"type": "custom", "contact": "fcm"}},
             "routes": {"security": ["ios", "android"]},
             "users": [{"id": "ana", "email": "ana@example.com",
                        "devices": [{"token": "\(iPhone)", "platform": "apns"}]}]}
            """.utf8))
    }

    static func call(_ api: HeraldAPI, _ method: String, _ path: String, _ body: String? = nil) async -> (Int, [String: Any]) {
        let request = HeraldAPI.Request(
            method: method, target: path, headers: body == nil ? [] : [("Content-Type", "application/json")],
            body: Array((body ?? "").utf8))
        let response = await api.handle(request)
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:])
    }

    static func code(_ answer: (Int, [String: Any])) -> String? { (answer.1["error"] as? [String: Any])?["code"] as? String }
    static func field(_ answer: (Int, [String: Any])) -> String? { (answer.1["error"] as? [String: Any])?["field"] as? String }

    @Test func devicesAreRegisteredListedAndRemovedThroughTheAPI() async throws {
        let herald = try Herald(configuration: Self.configuration(), channels: ["ios": TokenScriptedChannel(), "android": TokenScriptedChannel()])
        let api = herald.api

        let added = await Self.call(api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.pixel)", "platform": "fcm"}"#)
        #expect(added.0 == 200)
        let listed = added.1["devices"] as? [[String: String]]
        #expect(listed == [["token": Self.iPhone, "platform": "apns"], ["token": Self.pixel, "platform": "fcm"]])

        let contact = await Self.call(api, "GET", "/v1/users/ana/contact-info")
        #expect((contact.1["devices"] as? [[String: String]])?.count == 2)

        let removed = await Self.call(api, "DELETE", "/v1/users/ana/devices/\(Self.iPhone)")
        #expect(removed.0 == 204)
        #expect(await Self.call(api, "DELETE", "/v1/users/ana/devices/\(Self.iPhone)").0 == 204)
        let after = await Self.call(api, "GET", "/v1/users/ana/contact-info")
        #expect(after.1["devices"] as? [[String: String]] == [["token": Self.pixel, "platform": "fcm"]])

        let put = await Self.call(api, "PUT", "/v1/users/ben", #"{"devices": [{"token": "\#(Self.iPad)", "platform": "apns"}]}"#)
        #expect(put.0 == 200)
        #expect((put.1["devices"] as? [[String: String]])?.first?["token"] == Self.iPad)
    }

    @Test func badDevicesAreRefusedNamingTheFieldAndChangeNothing() async throws {
        let herald = try Herald(configuration: Self.configuration(), channels: ["ios": TokenScriptedChannel(), "android": TokenScriptedChannel()])
        let api = herald.api
        let notHex = await Self.call(api, "POST", "/v1/users/ana/devices", #"{"token": "not-a-token", "platform": "apns"}"#)
        #expect(notHex.0 == 422)
        #expect(Self.code(notHex) == "invalid_value")
        #expect(Self.field(notHex) == "token")
        #expect(Self.field(await Self.call(api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPad)", "platform": "fax"}"#)) == "platform")
        #expect(Self.code(await Self.call(api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPad)", "platform": "apns", "x": 1}"#)) == "unknown_field")
        #expect(Self.code(await Self.call(api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPad)",}"#)) == "invalid_json")
        let unknownUser = await Self.call(api, "POST", "/v1/users/nobody/devices", #"{"token": "\#(Self.iPad)", "platform": "apns"}"#)
        #expect(unknownUser.0 == 404)
        #expect(await Self.call(api, "DELETE", "/v1/users/nobody/devices/\(Self.iPad)").0 == 404)
        let twice = await Self.call(
            api, "PUT", "/v1/users/ana",
            #"{"devices": [{"token": "\#(Self.iPad)", "platform": "apns"}, {"token": "\#(Self.iPad)", "platform": "apns"}]}"#)
        #expect(Self.field(twice) == "devices[1].token")
        let unchanged = await Self.call(api, "GET", "/v1/users/ana/contact-info")
        #expect(unchanged.1["devices"] as? [[String: String]] == [["token": Self.iPhone, "platform": "apns"]])
        #expect(unchanged.1["email"] as? String == "ana@example.com")
    }

    @Test func aUserHasAtMostAThousandDevices() async throws {
        let herald = try Herald(configuration: Self.configuration(), channels: ["ios": TokenScriptedChannel(), "android": TokenScriptedChannel()])
        let devices = (1..<AddressRules.maxDevicesPerUser).map { Device(token: String(format: "%064x", $0), platform: .apns) }
        try await herald.upsertUser(UserProfile(id: "ana", contact: Contact(devices: [Device(token: Self.iPhone, platform: .apns)] + devices)))
        let full = await Self.call(herald.api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPad)", "platform": "apns"}"#)
        #expect(full.0 == 422)
        #expect(Self.field(full) == "devices")
        let again = await Self.call(herald.api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPhone)", "platform": "apns"}"#)
        #expect(again.0 == 200, "re-registering a known token is no new device")
    }

    @Test func aUserWithTwoIPhonesAndAnAndroidPhoneGetsThreeDeliveriesEachRetriedOnItsOwn() async throws {
        let ios = TokenScriptedChannel([Self.iPad: [.retry(reason: "APNs answered 503")]])
        let android = TokenScriptedChannel()
        let clock = ManualClock()
        let herald = try Herald(configuration: Self.configuration(), channels: ["ios": ios, "android": android], clock: clock)
        _ = await Self.call(herald.api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.iPad)", "platform": "apns"}"#)
        _ = await Self.call(herald.api, "POST", "/v1/users/ana/devices", #"{"token": "\#(Self.pixel)", "platform": "fcm"}"#)

        let accepted = await Self.call(herald.api, "POST", "/v1/notifications", #"{"topic": "security", "user_id": "ana", "subject": "New sign-in", "message": "Was it you?"}"#)
        #expect(accepted.0 == 202)
        let id = try #require(accepted.1["id"] as? String)
        let receipt = try #require(accepted.1["deliveries"] as? [[String: String]])
        #expect(receipt.map { $0["recipient"] } == ["•••a1a1a1", "•••b2b2b2", "•••9:Zx9:"])
        #expect(receipt.allSatisfy { !($0["recipient"] ?? "").contains(Self.iPhone) && !($0["recipient"] ?? "").contains(Self.pixel) })

        try await herald.worker.drain()
        clock.advance(by: .seconds(120))
        try await herald.worker.drain()
        #expect(ios.tokens.sorted() == [Self.iPhone, Self.iPad, Self.iPad].sorted(), "only the failing iPad is sent again")
        #expect(android.tokens == [Self.pixel])
        let status = await Self.call(herald.api, "GET", "/v1/notifications/\(id)")
        let deliveries = try #require(status.1["deliveries"] as? [[String: Any]])
        #expect(status.1["status"] as? String == "sent")
        #expect(deliveries.map { $0["attempts"] as? Int } == [1, 2, 1])
        let body = String(decoding: try JSONSerialization.data(withJSONObject: status.1), as: UTF8.self)
        #expect(!body.contains(Self.iPhone) && !body.contains(Self.iPad) && !body.contains(Self.pixel), "tokens are masked")
    }

    @Test func aTokenTheProviderCallsGoneIsRemovedFromTheUser() async throws {
        let ios = TokenScriptedChannel([Self.iPhone: [.addressGone(reason: "APNs answered 410 Unregistered")]])
        let herald = try Herald(configuration: Self.configuration(), channels: ["ios": ios, "android": TokenScriptedChannel()])
        let accepted = await Self.call(herald.api, "POST", "/v1/notifications", #"{"channel": "ios", "user_id": "ana", "message": "Hi"}"#)
        #expect(accepted.0 == 202)
        try await herald.worker.drain()
        let status = await Self.call(herald.api, "GET", "/v1/notifications/\(accepted.1["id"] as? String ?? "")")
        let delivery = try #require((status.1["deliveries"] as? [[String: Any]])?.first)
        #expect(delivery["status"] as? String == "failed")
        #expect((delivery["last_error"] as? String)?.contains("Unregistered") == true)
        #expect(try await herald.contactInfo(for: "ana").devices.isEmpty)
        let next = await Self.call(herald.api, "POST", "/v1/notifications", #"{"channel": "ios", "user_id": "ana", "message": "Hi"}"#)
        #expect(Self.code(next) == "no_contact", "no device is left to send to")
    }
}
