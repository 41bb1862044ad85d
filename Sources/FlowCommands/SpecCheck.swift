import FlowBasics
import FlowGraph
import FlowSpec

/// Everything `lint` knows about one spec file: the text and keys (FlowSpec), then the
/// graph and data flow (FlowGraph), findings sorted. The graph is built and linted here only.
struct SpecCheck {
    let loaded: LoadedSpec
    /// The spec's graph and its findings; nil when the spec could not be read.
    let lint: LintedGraph?
    let diagnostics: [Diagnostic]

    init(path: String) {
        loaded = SpecLoader.load(path: path)
        lint = loaded.spec.map(LintedGraph.init(spec:))
        diagnostics = (loaded.diagnostics + (lint?.findings ?? [])).sorted()
    }

    var spec: Spec? { loaded.spec }
    var errorCount: Int { diagnostics.count { $0.severity == .error } }
    var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// The plan of a spec without errors, made from the graph already linted.
    func plan() -> ExecutionPlan? {
        guard let lint, !diagnostics.hasErrors, lint.isPlannable else { return nil }
        return ExecutionPlan(lint)
    }
}
