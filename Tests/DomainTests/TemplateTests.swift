import HeraldDomain
import Testing

@Suite struct TemplateTests {
    @Test func fillsPlaceholdersIncludingDottedPathsAndSpaces() throws {
        let template = try Template(parsing: "Hi {{name}}, order {{ order.id }} has {{order.items}} items ({{paid}}).")
        let text = try template.render(with: ["name": "Ana", "order": ["id": "A-1", "items": 3], "paid": true])
        #expect(text == "Hi Ana, order A-1 has 3 items (true).")
    }

    @Test func fractionalNumbersKeepTheirDecimals() throws {
        #expect(try Template(parsing: "{{x}}").render(with: ["x": 2.5]) == "2.5")
    }

    @Test func textWithoutPlaceholdersIsUnchanged() throws {
        #expect(try Template(parsing: "plain } { text").render(with: [:]) == "plain } { text")
    }

    @Test(arguments: [
        ("Hi {{name}}", [:], "data.name"),
        ("{{order.id}}", ["order": ["number": 1]], "data.order.id"),
        ("{{order.id}}", ["order": "A-1"], "data.order.id"),
        ("{{name}}", ["name": .null], "data.name"),
    ] as [(String, [String: JSONValue], String)])
    func missingDataIsAnErrorNeverABlank(source: String, data: [String: JSONValue], field: String) throws {
        let template = try Template(parsing: source)
        #expect(throws: HeraldError(.missingTemplateData, "", field: field)) { try template.render(with: data) }
    }

    @Test func structuredValuesCannotBeRenderedAsText() throws {
        let template = try Template(parsing: "{{order}}")
        #expect(throws: HeraldError(.invalidValue, "", field: "data.order")) {
            try template.render(with: ["order": ["id": "A-1"]])
        }
    }

    @Test(arguments: ["Hi {{name", "{{}}", "{{ a b }}", "{{a..b}}"])
    func malformedPlaceholdersAreRejectedWhenParsing(source: String) {
        #expect(throws: HeraldError(.invalidValue, "", field: "templates.t.body")) {
            try Template(parsing: source, field: "templates.t.body")
        }
    }

    @Test func listsItsPlaceholders() throws {
        #expect(try Template(parsing: "{{a}} and {{b.c}}").placeholders == ["a", "b.c"])
    }

    @Test func aSectionRepeatsForEachItemWithTheItemsMembersBeforeTheOuterData() throws {
        let template = try Template(parsing: "{{count}} new:{{#items}} [{{message}} for {{user}}]{{/items}}.")
        let text = try template.render(with: [
            "count": 2, "user": "ana", "items": [["message": "disk"], ["message": "cpu", "user": "ben"]],
        ])
        #expect(text == "2 new: [disk for ana] [cpu for ben].")
    }

    @Test func aSectionOverScalarsUsesTheDotAndFalsyOrMissingValuesRenderNothing() throws {
        let template = try Template(parsing: "{{#tags}}<{{.}}>{{/tags}}{{#late}} late{{/late}}{{#none}}x{{/none}}")
        #expect(try template.render(with: ["tags": ["a", "b"], "late": true]) == "<a><b> late")
        #expect(try template.render(with: ["tags": [], "late": false]) == "")
    }

    @Test func missingDataInsideASectionIsAnErrorToo() throws {
        let template = try Template(parsing: "{{#items}}{{message}}{{/items}}")
        #expect(throws: HeraldError(.missingTemplateData, "", field: "data.message")) {
            try template.render(with: ["items": [["text": "x"]]])
        }
    }

    @Test(arguments: ["{{#items}}open", "{{/items}}", "{{#a}}{{/b}}", "{{#}}{{/}}"])
    func unbalancedSectionsAreRejectedWhenParsing(source: String) {
        #expect(throws: HeraldError(.invalidValue, "", field: "templates.t.body")) {
            try Template(parsing: source, field: "templates.t.body")
        }
    }

    @Test func sectionsNestAtMostEightDeepSoAHugeNestingIsRefusedNotACrash() throws {
        let eight = String(repeating: "{{#a}}", count: 8) + "x" + String(repeating: "{{/a}}", count: 8)
        #expect(try Template(parsing: eight).render(with: ["a": true]) == "x")
        let hostile = String(repeating: "{{#a}}", count: 10_000)
        #expect(throws: HeraldError(.invalidValue, "", field: "body")) { try Template(parsing: hostile, field: "body") }
    }
}
