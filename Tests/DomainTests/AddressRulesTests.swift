import HeraldDomain
import Testing

@Suite struct AddressRulesTests {
    @Test(arguments: [
        "123", "ana", "a", "user.name", "user_name", "tenant:42", "ana@example.com", "a-b", "...", ".a", "a..b",
        String(repeating: "x", count: 128),
    ])
    func acceptsUserIDsOfTheAllowedCharacters(id: String) {
        #expect(AddressRules.isValidUserID(id))
    }

    @Test(arguments: [
        "", ".", "..", "a/b", "../admin", "a b", "a?b", "a#b", "a%2Fb", "a\r\nb", "zoë", "a+b",
        String(repeating: "x", count: 129),
    ])
    func refusesUserIDsThatCouldLeaveTheirURLSegment(id: String) {
        #expect(!AddressRules.isValidUserID(id))
    }

    @Test(arguments: [
        "ana@example.com", "a@b", "root@localhost", "first.last@sub.example.co.uk", "o'brien+tag@example.com",
        "x-y_z@ex-ample.com", "!#$%&'*+-/=?^_`{|}~@example.com", "a@123.example",
        String(repeating: "l", count: 64) + "@example.com",
        "a@" + [String](repeating: String(repeating: "d", count: 61), count: 4).joined(separator: ".") + ".com",
    ])
    func acceptsRFC5321Mailboxes(address: String) {
        #expect(AddressRules.isValidEmail(address), "\(address.utf8.count) octets")
    }

    @Test(arguments: [
        "", "ana", "@example.com", "ana@", "a@x>,<b@y", "ana@example.com>", "<ana@example.com>", "ana@example.com,b@y",
        "ana@example.com;b@y", "ana @example.com", "ana@exa mple.com", "\"ana\"@example.com", "\"a b\"@example.com",
        "ana@example.com\r\nBcc: x@evil", "ana\t@example.com", "a..b@example.com", ".a@example.com", "a.@example.com",
        "ana@example..com", "ana@.example.com", "ana@example.com.", "ana@-example.com", "ana@example-.com",
        "ana@[127.0.0.1]", "zoë@example.com", "ana@exämple.com", "a@b@example.com", "ana@exa_mple.com",
        String(repeating: "l", count: 65) + "@example.com",
        "a@" + String(repeating: "d", count: 64) + ".com",
        String(repeating: "l", count: 60) + "@" + [String](repeating: String(repeating: "d", count: 60), count: 4)
            .joined(separator: "."),
    ])
    func refusesWhatIsNotABareMailbox(address: String) {
        #expect(!AddressRules.isValidEmail(address), "\(address.utf8.count) octets")
    }

    @Test(arguments: ["+15550002222", "+4930123456", "+12345678", "+123456789012345", "+442071838750"])
    func acceptsE164Numbers(number: String) {
        #expect(AddressRules.isValidPhoneNumber(number))
    }

    @Test(arguments: [
        "", "+", "+1", "+1234567", "+1234567890123456", "15550002222", "+05550002222", "+1 555 000 2222",
        "+1-555-000-2222", "+1555000222a", "++15550002222", "+15550002222\n", "+١٥٥٥٠٠٠٢٢٢٢",
    ])
    func refusesWhatIsNotE164(number: String) {
        #expect(!AddressRules.isValidPhoneNumber(number))
    }

    @Test func errorsNameTheField() {
        #expect(throws: HeraldError(.invalidValue, "", field: "user_id")) {
            try AddressRules.requireUserID("..", field: "user_id")
        }
        #expect(throws: HeraldError(.invalidValue, "", field: "email")) {
            try Contact(email: "a@x>,<b@y").validate()
        }
        #expect(throws: HeraldError(.invalidValue, "", field: "sms")) {
            try Contact(email: "ana@example.com", sms: "+1").validate()
        }
    }
}
