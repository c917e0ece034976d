import Foundation
import HeraldDomain
import Testing

@Suite struct NotificationRequestDecodingTests {
    private func decode(_ json: String) throws(HeraldError) -> NotificationRequest {
        try NotificationRequest(json: Data(json.utf8))
    }

    @Test func decodesEveryField() throws {
        let request = try decode(
            #"{"topic": "purchase", "message": "hi", "subject": "S", "user_id": "123", "channels": ["slack", "sms"],"#
                + #" "template": null, "data": {"name": "Ana", "n": 2}}"#)
        #expect(request == NotificationRequest(
            topic: "purchase", message: "hi", subject: "S", userID: "123", channels: ["slack", "sms"],
            data: ["name": "Ana", "n": 2]))
    }

    @Test func priorityAndCollapseKeyAreDecodedAndABadPriorityNamesTheField() throws {
        let request = try decode(#"{"channel": "ios", "message": "m", "priority": "low", "collapse_key": "sign-in"}"#)
        #expect(request.priority == .low)
        #expect(request.collapseKey == "sign-in")
        #expect(try decode(#"{"channel": "ios", "message": "m"}"#).priority == .normal)
        #expect(throws: HeraldError(.invalidValue, "", field: "priority")) { try decode(#"{"message": "m", "priority": "urgent"}"#) }
        #expect(throws: HeraldError(.invalidValue, "", field: "priority")) { try decode(#"{"message": "m", "priority": 10}"#) }
        #expect(throws: HeraldError(.invalidValue, "", field: "collapse_key")) { try decode(#"{"message": "m", "collapse_key": 1}"#) }
    }

    @Test func descriptionIsAnAliasOfMessage() throws {
        #expect(try decode(#"{"topic": "sales", "description": "Customer needs help"}"#).message == "Customer needs help")
    }

    @Test func channelIsAOneElementChannels() throws {
        #expect(try decode(#"{"user_id": "1", "message": "m", "channel": "sms"}"#).channels == ["sms"])
    }

    @Test func integerUserIDIsAccepted() throws {
        #expect(try decode(#"{"user_id": 123, "message": "m"}"#).userID == "123")
    }

    @Test(arguments: [
        (#"{"topic": "sales", "message": "m", "urgency": "high"}"#, "urgency"),
        (#"{"Topic": "sales"}"#, "Topic"),
    ])
    func unknownFieldsAreRejected(json: String, field: String) {
        #expect(throws: HeraldError(.unknownField, "", field: field)) { try decode(json) }
    }

    @Test(arguments: ["[1, 2]", "\"text\"", "42", "{", "", "{\"topic\": }", "null"])
    func bodiesThatAreNotJSONObjectsAreInvalidJSON(json: String) {
        #expect(throws: HeraldError(.invalidJSON, "")) { try decode(json) }
    }

    @Test func invalidUTF8IsInvalidJSON() {
        let bytes = Data([0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
        #expect(throws: HeraldError(.invalidJSON, "")) { try NotificationRequest(json: bytes) }
    }

    @Test(arguments: [
        (#"{"topic": 7, "message": "m"}"#, "topic"),
        (#"{"message": ["m"]}"#, "message"),
        (#"{"subject": true, "message": "m"}"#, "subject"),
        (#"{"user_id": 1.5, "message": "m"}"#, "user_id"),
        (#"{"channels": "slack", "message": "m"}"#, "channels"),
        (#"{"channels": ["slack", 3], "message": "m"}"#, "channels[1]"),
        (#"{"data": [1], "template": "t"}"#, "data"),
        (#"{"message": "a", "description": "b"}"#, "description"),
        (#"{"message": "a", "channel": "slack", "channels": ["sms"]}"#, "channels"),
    ])
    func wrongTypesAndConflictsAreInvalidValueNamingTheField(json: String, field: String) {
        #expect(throws: HeraldError(.invalidValue, "", field: field)) { try decode(json) }
    }
}
