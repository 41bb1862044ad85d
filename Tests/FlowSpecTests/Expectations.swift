import FlowBasics
import FlowSpec
import Testing

/// A finding a test expects: its code and exact 1-based position.
struct Expected: CustomStringConvertible, Equatable {
    let code: String
    let line: Int
    let column: Int

    init(_ code: DiagnosticCode, _ line: Int, _ column: Int) {
        self.code = code.id
        self.line = line
        self.column = column
    }

    var description: String { "\(code)@\(line):\(column)" }
}

/// Loads YAML (or JSON, by the file name) and checks that the findings are exactly `expected`:
/// every finding must be expected and every expectation found.
@discardableResult
func expectFindings(_ text: String, file: String = "spec.yaml", _ expected: [Expected],
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LoadedSpec {
    let loaded = SpecLoader.load(text: text, file: file)
    let found = loaded.diagnostics.sorted().map { Expected(code: $0.code.id, line: $0.span.start.line, column: $0.span.start.column) }
    #expect(found == expected.sorted { ($0.line, $0.column, $0.code) < ($1.line, $1.column, $1.code) },
            "\(loaded.diagnostics.map { "\($0.code.id)@\($0.span.start.line):\($0.span.start.column) \($0.message)" })",
            sourceLocation: sourceLocation)
    return loaded
}

extension Expected {
    init(code: String, line: Int, column: Int) {
        self.code = code
        self.line = line
        self.column = column
    }
}

/// A minimal valid spec with `body` spliced in as extra top-level text.
func spec(steps: String = "  start: {run: 'steps.py:start'}", extra: String = "") -> String {
    "flowspec: 1\nname: Test\n\(extra)steps:\n\(steps)\n"
}
