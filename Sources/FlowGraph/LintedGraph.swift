import FlowBasics
import FlowSpec

/// A spec's step graph with every graph (FS03xx) and data-flow (FS02xx) finding about it, in one
/// pass: built and checked once per command. A plan is made from one without errors.
public struct LintedGraph: Sendable {
    public let graph: StepGraph
    /// Sorted by position.
    public let findings: [Diagnostic]
    /// Which artifacts each step sees: what the references were checked against.
    let flow: DataFlow

    public init(spec: Spec) {
        graph = StepGraph(spec: spec)
        flow = DataFlow(graph: graph)
        guard !spec.steps.isEmpty else {
            findings = []
            return
        }
        let findings = SuccessorRule.check(graph)
            + CycleRule.check(graph)
            + ReachabilityRule.check(graph)
            + graph.splits.findings
            + ReferenceRule.check(graph, flow: flow)
            + CatchRule.check(graph)
            + ReportRule.check(graph)
        self.findings = findings.sorted()
    }

    /// Whether a plan can be made from it: lint found no error, and there is a first step.
    public var isPlannable: Bool { !findings.hasErrors && !graph.order.isEmpty }
}
