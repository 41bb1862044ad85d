import FlowGraph
import FlowSpec
import Testing

/// Large specs lint clean (their speed is measured by bench/lint, not asserted here).
@Suite struct ScaleTests {
    @Test func longChainAndWideBranch() {
        var b = SpecBuilder()
        let width = 300, length = 1_500
        b.step("start", next: (0..<width).map { "b\($0)" })
        for index in 0..<width { b.step("b\(index)", next: ["join"]) }
        b.step("join", join: true, next: ["s0"])
        for index in 0..<length { b.step("s\(index)", next: [index + 1 < length ? "s\(index + 1)" : "end"], args: ["x": "start"]) }
        b.step("end")
        #expect(LintedGraph(spec: b.spec).findings.isEmpty)
    }
}
