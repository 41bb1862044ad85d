import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
import Testing

/// Plans a flow from the text of its steps and runs it with a fake executor.
protocol SchedulerFixture {}

extension SchedulerFixture {
    /// The plan of a lint-clean spec made of `steps` (and `params`/`defaults` sections, if given).
    func plan(_ steps: String, params: String = "", defaults: String = "") throws -> ExecutionPlan {
        let text = "flowspec: 1\nname: Test\n\(params)\(defaults)steps:\n\(steps)\n"
        let loaded = SpecLoader.load(text: text, file: "test.yaml")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let spec = try #require(loaded.spec)
        let findings = LintedGraph(spec: spec).findings
        #expect(findings.isEmpty, "\(findings.map { "\($0.code.id) \($0.message)" })")
        return try planning(spec)
    }

    func run(_ plan: ExecutionPlan, _ executor: FakeExecutor, params: [String: JSONValue] = [:],
             maxWorkers: Int = 2, maxSplits: Int = 100_000) async -> RunOutcome {
        let refs = params.mapValues { executor.store($0) }
        return await Scheduler(plan: plan, executor: executor, maxWorkers: maxWorkers, maxSplits: maxSplits)
            .run(params: refs)
    }

    /// An artifact as the last step saw it.
    func final(_ outcome: RunOutcome, _ name: String, _ executor: FakeExecutor) throws -> JSONValue {
        try executor.value(try #require(outcome.finalArtifacts[name], "no artifact \(name)"))
    }
}

/// The plan of a spec that lint finds no error in.
func planning(_ spec: Spec, sourceLocation: SourceLocation = #_sourceLocation) throws -> ExecutionPlan {
    let lint = LintedGraph(spec: spec)
    try #require(lint.isPlannable, "\(lint.findings.map(\.message))", sourceLocation: sourceLocation)
    return ExecutionPlan(lint)
}
