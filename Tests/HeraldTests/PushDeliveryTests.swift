import Foundation
import Herald
import HeraldTestSupport
import HeraldTesting
import Testing

/// Herald configured with `apns` and `fcm` channels in `herald.json`, delivering to local HTTP/2 servers through
/// the public API: per-device deliveries, token removal, the fan-out, and keys that never show (contract §10).
@Suite(.serialized) struct PushDeliveryTests {
    static let iPhone = String(repeating: "1a", count: 32)
    static let iPad = String(repeating: "2b", count: 32)
    static let pixel = "pixel:" + String(repeating: "Pq7_", count: 20)

    static func configuration(
        apns: PushRecorder, fcm: PushRecorder, keys: PushCredentials, users: String? = nil, redis: RedisServer? = nil
    ) throws -> HeraldConfiguration {
        let queue = redis.map { #""queue": {"kind": "redis", "redis_url": "\#($0.url)", "key_prefix": "push-\#(UUID().uuidString.prefix(6))", "backoff": {"initial_ms": 100, "max_ms": 1000}},"# }
            ?? #""queue": {"backoff": {"initial_ms": 100, "max_ms": 1000}},"#
        let json = """
            {
              \(queue)
              "channels": {
                "ios": {"type": "apns", "team_id": "TEAM123456", "key_id": "KEY1234567", "private_key": "env:APNS_P8",
                        "topic": "com.example.app", "environment": "sandbox", "base_url": "\(apns.url())"},
                "android": {"type": "fcm", "service_account": "env:FCM_SA", "base_url": "\(fcm.url())"}
              },
              "routes": {"security": ["ios", "android"]},
              "users": \(users ?? """
                [{"id": "ana", "devices": [{"token": "\(iPhone)", "platform": "apns"}, {"token": "\(iPad)", "platform": "apns"},
                                           {"token": "\(pixel)", "platform": "fcm"}]}]
                """)
            }
            """
        return try HeraldConfiguration.decode(Data(json.utf8), environment: [
            "APNS_P8": keys.p256PEM, "FCM_SA": keys.serviceAccountJSON(tokenURI: fcm.url("/token")),
        ])
    }

    static let tokenAnswer = ScriptedAnswer(200, body: #"{"access_token":"ya29.t{{n}}","expires_in":3600}"#)

    @Test(.timeLimit(.minutes(1)))
    func aUserWithTwoIPhonesAndAnAndroidPhoneGetsThreeDeliveriesEachRetriedOnItsOwn() async throws {
        let keys = try PushCredentials.make()
        let apns = try await PushRecorder.start([PushRule(pathContains: Self.iPad, [ScriptedAnswer(503), ScriptedAnswer(200)])])
        let fcm = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { apns.stop(); fcm.stop() }
        let clock = ManualClock()
        let herald = try Herald(configuration: Self.configuration(apns: apns, fcm: fcm, keys: keys), clock: clock)
        let receipt = try await herald.send(NotificationRequest(topic: "security", message: "Was it you?", subject: "New sign-in", userID: "ana"))
        #expect(receipt.deliveries.count == 3)
        try await herald.worker.drain(advancing: clock)

        let status = try await herald.status(of: receipt.id)
        #expect(status.status == .sent)
        #expect(status.deliveries.map(\.channel) == ["ios", "ios", "android"])
        #expect(status.deliveries.map(\.attempts) == [1, 2, 1])
        let paths = try apns.requests().map(\.path)
        #expect(paths.filter { $0.hasSuffix(Self.iPhone) }.count == 1, "the iPhone is never sent to again")
        #expect(paths.filter { $0.hasSuffix(Self.iPad) }.count == 2)
        #expect(try fcm.requests().filter { $0.path.hasSuffix("messages:send") }.count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func tokensTheProvidersCallGoneAreRemovedFromTheUser() async throws {
        let keys = try PushCredentials.make()
        let apns = try await PushRecorder.start([
            PushRule(pathContains: Self.iPhone, [ScriptedAnswer(410, body: #"{"reason":"Unregistered"}"#)]),
            PushRule(pathContains: Self.iPad, [ScriptedAnswer(400, body: #"{"reason":"BadDeviceToken"}"#)]),
        ])
        let notFound = #"{"error":{"code":404,"status":"NOT_FOUND","message":"Requested entity was not found.","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"#
        let fcm = try await PushRecorder.start([
            PushRule(pathContains: "/token", [Self.tokenAnswer]),
            PushRule(pathContains: "messages:send", [ScriptedAnswer(404, body: notFound)]),
        ])
        defer { apns.stop(); fcm.stop() }
        let herald = try Herald(configuration: Self.configuration(apns: apns, fcm: fcm, keys: keys), clock: ManualClock())
        let receipt = try await herald.send(NotificationRequest(topic: "security", message: "m", userID: "ana"))
        try await herald.worker.drain()
        let status = try await herald.status(of: receipt.id)
        #expect(status.deliveries.map(\.status) == [.failed, .failed, .failed])
        #expect(status.deliveries.allSatisfy { $0.lastError?.contains("removed") == true })
        #expect(try await herald.contactInfo(for: "ana").devices.isEmpty)
    }

    @Test(.timeLimit(.minutes(2)))
    func aThousandDeviceFanOutSendsToEachDeviceExactlyOnceWithOneProviderToken() async throws {
        let keys = try PushCredentials.make()
        let apns = try await PushRecorder.start()
        let fcm = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { apns.stop(); fcm.stop() }
        let tokens = (0..<1000).map { String(format: "%064x", 0xFA_0000 + $0) }
        let devices = tokens.map { #"{"token": "\#($0)", "platform": "apns"}"# }.joined(separator: ",")
        let herald = try Herald(
            configuration: Self.configuration(apns: apns, fcm: fcm, keys: keys, users: #"[{"id": "fan", "devices": [\#(devices)]}]"#))
        let receipt = try await herald.send(NotificationRequest(message: "Doors open", userID: "fan", channels: ["ios"]))
        #expect(receipt.deliveries.count == 1000)
        try await herald.worker.drain()
        #expect(try await herald.status(of: receipt.id).status == .sent)
        let requests = try apns.requests()
        #expect(requests.count == 1000)
        #expect(Set(requests.map(\.path)) == Set(tokens.map { "/3/device/\($0)" }))
        #expect(Set(requests.map { $0.header("apns-id") }).count == 1000, "each delivery has its own apns-id")
        #expect(Set(requests.map { $0.header("authorization") }).count == 1, "one JWT for the whole fan-out")
    }

    @Test(.timeLimit(.minutes(1)))
    func onRedisATokenRemovedByOneProcessIsGoneForEveryOtherAndDevicesSurviveARestart() async throws {
        let redis = try RedisServer()
        let keys = try PushCredentials.make()
        let apns = try await PushRecorder.start([PushRule(pathContains: Self.iPhone, [ScriptedAnswer(410, body: #"{"reason":"Unregistered"}"#)])])
        let fcm = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { apns.stop(); fcm.stop() }
        let configuration = try Self.configuration(apns: apns, fcm: fcm, keys: keys, redis: redis)
        let api = try Herald(configuration: configuration)
        let worker = try Herald(configuration: configuration)
        defer { api.shutdown(); worker.shutdown() }

        let added = String(repeating: "3c", count: 32)
        let response = await api.api.handle(HeraldAPI.Request(
            method: "POST", path: "/v1/users/ana/devices", headers: [("Content-Type", "application/json")],
            body: Array(#"{"token": "\#(added)", "platform": "apns"}"#.utf8)))
        #expect(response.status == 200)
        #expect(try await worker.contactInfo(for: "ana").devices.map(\.token) == [Self.iPhone, Self.iPad, Self.pixel, added])

        let receipt = try await api.send(NotificationRequest(message: "m", userID: "ana", channels: ["ios"]))
        #expect(receipt.deliveries.count == 3)
        try await worker.worker.drain()
        #expect(try await api.contactInfo(for: "ana").devices.map(\.token) == [Self.iPad, Self.pixel, added])

        let restarted = try Herald(configuration: configuration)
        defer { restarted.shutdown() }
        #expect(try await restarted.contactInfo(for: "ana").devices.map(\.token) == [Self.iPad, Self.pixel, added],
                "the file's users seed Redis once; what changed at run time is kept")
    }

    @Test(.timeLimit(.minutes(1)))
    func aPrivateKeyAppearsInNoLogLineErrorStatusBodyOrCheckConfigOutput() async throws {
        let keys = try PushCredentials.make()
        let apns = try await PushRecorder.start([PushRule(pathContains: Self.iPad, [ScriptedAnswer(403, body: #"{"reason":"InvalidProviderToken"}"#)])])
        let fcm = try await PushRecorder.start([PushRule(pathContains: "/token", [Self.tokenAnswer])])
        defer { apns.stop(); fcm.stop() }
        let log = CollectingLogSink()
        let configuration = try Self.configuration(apns: apns, fcm: fcm, keys: keys)
        let herald = try Herald(configuration: configuration, clock: ManualClock(), logger: log)
        let receipt = try await herald.send(NotificationRequest(topic: "security", message: "m", userID: "ana"))
        try await herald.worker.drain()
        let status = await herald.api.handle(HeraldAPI.Request(method: "GET", path: "/v1/notifications/\(receipt.id)"))
        let statusText = String(decoding: status.body, as: UTF8.self)
        #expect(statusText.contains("InvalidProviderToken"))
        #expect(!statusText.contains(Self.iPhone) && !statusText.contains(Self.pixel), "tokens are masked")

        var texts = [statusText, "\(configuration)"]
        texts += log.all.map { "\($0.message) \($0.metadata)" }
        let logText = log.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(logText.contains("•••"), "the log names each delivery by its masked token")
        #expect(![Self.iPhone, Self.iPad, Self.pixel].contains { logText.contains($0) }, "tokens are masked in logs")
        for broken in [String(keys.p256PEM.dropLast(40)), keys.rsaPEM] {
            do {
                _ = try HeraldConfiguration.decode(Data(#"{"channels": {"ios": {"type": "apns", "team_id": "T", "key_id": "K", "private_key": "env:K", "topic": "t"}}}"#.utf8), environment: ["K": broken])
                Issue.record("an unusable APNs key must be refused")
            } catch {
                #expect(error.field == "channels.ios.private_key")
                texts.append("\(error)")
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("herald.json")
        try Data("""
            {"channels": {"ios": {"type": "apns", "team_id": "TEAM123456", "key_id": "KEY1234567", "private_key": "env:APNS_P8",
                                  "topic": "com.example.app"},
                          "android": {"type": "fcm", "service_account": "env:FCM_SA"}}}
            """.utf8).write(to: file)
        let check = try ChildProcess(
            ChildProcess.builtProduct("herald"), arguments: ["check-config", "--config", file.path],
            environment: ["APNS_P8": keys.p256PEM, "FCM_SA": keys.serviceAccountJSON(tokenURI: URL(string: "https://oauth2.googleapis.com/token")!)])
        #expect(try await check.waitForExit(timeout: .seconds(20)) == 0)
        let output = check.output.joined(separator: "\n")
        #expect(output.contains("ios (apns, team TEAM123456, key KEY1234567, topic com.example.app, production, P-256 key valid)"))
        #expect(output.contains("android (fcm, service account with a valid RSA key)"))
        texts.append(output)

        let secrets = PushCredentials.secretLines(of: keys.p256PEM) + PushCredentials.secretLines(of: keys.rsaPEM)
        #expect(!secrets.isEmpty)
        for text in texts {
            for secret in secrets { #expect(!text.contains(secret)) }
            #expect(!text.contains("PRIVATE KEY"))
        }
    }

    @Test func pushChannelConfigurationErrorsNameTheirJSONPath() throws {
        let keys = try PushCredentials.make()
        func problem(_ channel: String, _ environment: [String: String] = [:]) -> String? {
            do {
                _ = try HeraldConfiguration.decode(Data(#"{"channels": {"push": \#(channel)}}"#.utf8), environment: environment)
                return nil
            } catch {
                return error.message
            }
        }
        let apns = #""type": "apns", "key_id": "K1", "private_key": "env:P8", "topic": "com.example.app""#
        #expect(problem("{\(apns)}", ["P8": keys.p256PEM]) == "channels.push.team_id: missing")
        #expect(problem(#"{\#(apns), "team_id": "T1"}"#, ["P8": "not a pem"])?.hasPrefix("channels.push.private_key: the private key is unusable") == true)
        #expect(problem(#"{\#(apns), "team_id": "T1"}"#, ["P8": keys.rsaPEM])
                == "channels.push.private_key: the private key is an RSA key; APNs needs the P-256 (.p8) key Apple issued")
        #expect(problem(#"{\#(apns), "team_id": "T1", "environment": "staging"}"#, ["P8": keys.p256PEM])
                == #"channels.push.environment: must be "production" or "sandbox""#)
        #expect(problem(#"{"type": "fcm"}"#) == "channels.push.service_account: missing")
        #expect(problem(#"{"type": "fcm", "service_account": "env:SA"}"#, ["SA": #"{"type": "service_account"}"#])
                == #"channels.push.service_account: the service account has no "client_email""#)
        let noProject = keys.serviceAccountJSON(tokenURI: URL(string: "https://oauth2.googleapis.com/token")!)
            .replacingOccurrences(of: #""project_id":"herald-test","#, with: "")
        #expect(problem(#"{"type": "fcm", "service_account": "env:SA"}"#, ["SA": noProject])
                == "channels.push.project_id: missing (the service account has no project_id)")
        #expect(problem(#"{"type": "fcm", "service_account": "env:SA", "project_id": "x", "base_url": "ftp://x"}"#, ["SA": noProject])
                == "channels.push.base_url: must be an http:// or https:// URL with a host")
        #expect(problem(#"{"type": "console", "contact": "apns", "to": ["nope"]}"#)?.hasPrefix("channels.push.to[0]: must be an APNs device token") == true)
    }
}
