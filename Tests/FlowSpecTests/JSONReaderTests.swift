import FlowBasics
@testable import FlowSpec
import Testing

@Suite struct JSONReaderTests {
    @Test func readsASpecWithPositions() throws {
        let text = """
            {
              "flowspec": 1,
              "name": "Test",
              "steps": {"start": {"run": "steps.py:go", "retry": 2, "with": {"x": 1.5, "y": null, "z": "é\\u00e9\\ud83d\\ude00"}}}
            }
            """
        let loaded = expectFindings(text, file: "flow.json", [])
        let step = try #require(loaded.spec?.steps.first)
        #expect(step.name.span.start == SourcePosition(line: 4, column: 13))
        #expect(step.run?.span.start == SourcePosition(line: 4, column: 30))
        #expect(step.settings.retry?.value.times == 2)
        #expect(step.with.first { $0.parameter.value == "z" }?.value.string == "éé😀")
    }

    @Test func reportsSyntaxErrorsAtTheirPlace() {
        expectFindings("{\"flowspec\": 1,\n \"name\": \"A\",\n}", file: "a.json", [Expected(.syntaxError, 3, 1)])
        expectFindings("{\"a\": tru}", file: "a.json", [Expected(.syntaxError, 1, 10)])
        expectFindings("{\"a\": 1} x", file: "a.json", [Expected(.syntaxError, 1, 10)])
        expectFindings("{\"a\": \"x", file: "a.json", [Expected(.syntaxError, 1, 9)])
    }

    /// Python's `json` would read these words; a JSON spec cannot hold them, and says so where they are.
    @Test func refusesInfinityAndNaNAtTheirPlace() {
        for (text, column) in [("{\"a\": Infinity}", 7), ("{\"a\": -Infinity}", 7), ("{\"a\": [NaN]}", 8)] {
            let loaded = SpecLoader.load(text: text, file: "a.json")
            let found = loaded.diagnostics.map { "\($0.code.id)@\($0.span.start.line):\($0.span.start.column) \($0.message)" }
            let word = text.contains("NaN") ? "NaN" : "Infinity"
            #expect(found == ["FS0005@1:\(column) invalid JSON: JSON has no number \(word)"], "\(text)")
            #expect(loaded.diagnostics.first?.hint == "in a YAML spec it is .inf, -.inf or .nan")
        }
    }

    @Test func reportsDuplicateKeys() {
        expectFindings("{\"flowspec\": 1, \"name\": \"A\", \"name\": \"B\", \"steps\": {\"s\": {}}}", file: "a.json",
                       [Expected(.duplicateKey, 1, 30)])
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let loaded = SpecLoader.load(text: text, file: "deep.json")
        #expect(loaded.diagnostics.map(\.code) == [.nestingTooDeep])
    }

    @Test func reportsAnEmptyDocument() {
        expectFindings("  \n", file: "a.json", [Expected(.emptySpec, 1, 1)])
    }
}
