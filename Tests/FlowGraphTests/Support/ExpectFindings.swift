import FlowBasics
import FlowGraph
import FlowSpec
import Testing

/// One finding a test expects. `hint: nil` leaves the hint unchecked; `hint: ""` expects none.
struct Expected: CustomStringConvertible {
    var code: DiagnosticCode
    var span: SourceSpan
    var message: String
    var hint: String?

    init(_ code: DiagnosticCode, _ span: SourceSpan, _ message: String, hint: String? = nil) {
        self.code = code
        self.span = span
        self.message = message
        self.hint = hint
    }

    func matches(_ finding: Diagnostic) -> Bool {
        finding.code == code && finding.span == span && finding.message == message
            && (hint == nil || (finding.hint ?? "") == hint)
    }

    var description: String { "\(code.id) at \(span.start.line):\(span.start.column): \(message) [hint: \(hint ?? "*")]" }
}

extension Diagnostic {
    var summary: String {
        "\(code.id) at \(span.start.line):\(span.start.column)-\(span.end.column): \(message) [hint: \(hint ?? "")]"
    }
}

/// Lints `spec` and requires exactly the `expected` findings: a missing one and an unexpected
/// one both fail the test.
@discardableResult
func expectFindings(
    _ spec: Spec, _ expected: [Expected] = [], sourceLocation: SourceLocation = #_sourceLocation
) -> [Diagnostic] {
    let findings = LintedGraph(spec: spec).findings
    var unmatched = findings
    var missing: [Expected] = []
    for expectation in expected {
        if let index = unmatched.firstIndex(where: expectation.matches) {
            unmatched.remove(at: index)
        } else {
            missing.append(expectation)
        }
    }
    for expectation in missing {
        let reported = findings.map(\.summary).joined(separator: "\n")
        Issue.record("expected finding not reported: \(expectation)\nreported:\n\(reported)", sourceLocation: sourceLocation)
    }
    for finding in unmatched {
        Issue.record("unexpected finding: \(finding.summary)", sourceLocation: sourceLocation)
    }
    #expect(findings == findings.sorted(), "findings are sorted", sourceLocation: sourceLocation)
    return findings
}
