import HeraldDomain
import Testing

@Suite struct SuggestionTests {
    @Test func aOneLetterTypoSuggestsTheKnownName() {
        #expect(Suggestion.closest(to: "slak", among: ["slack", "email", "sms"]) == "slack")
        #expect(Suggestion.closest(to: "emial", among: ["slack", "email", "sms"]) == "email")
    }

    @Test func aNameFarFromEveryKnownOneSuggestsNothing() {
        #expect(Suggestion.closest(to: "pager", among: ["slack", "email", "sms"]) == nil)
        #expect(Suggestion.hint(for: "pager", among: ["slack"]) == "")
    }

    @Test func theHintQuotesTheSuggestion() {
        #expect(Suggestion.hint(for: "smss", among: ["sms"]) == " (did you mean \"sms\"?)")
    }

    @Test func caseDifferencesCountAsNoEdit() {
        #expect(Suggestion.closest(to: "Slack", among: ["slack"]) == "slack")
    }
}
