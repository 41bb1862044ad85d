import FlowBasics
import FlowSpec

/// The graph and data-flow checks of a spec that has been read: every finding in one pass.
public enum SpecLint {
    /// Every graph (FS03xx) and data-flow (FS02xx) finding, sorted by position.
    public static func check(_ spec: Spec) -> [Diagnostic] {
        check(StepGraph(spec: spec))
    }

    public static func check(_ graph: StepGraph) -> [Diagnostic] {
        guard !graph.spec.steps.isEmpty else { return [] }
        let findings = SuccessorRule.check(graph)
            + CycleRule.check(graph)
            + ReachabilityRule.check(graph)
            + graph.splits.findings
            + ReferenceRule.check(graph)
            + CatchRule.check(graph)
        return findings.sorted()
    }
}
