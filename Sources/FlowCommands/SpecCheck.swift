import FlowBasics
import FlowGraph
import FlowSpec

/// Everything `lint` knows about one spec file: the text and keys (FlowSpec), then the
/// graph and data flow (FlowGraph), findings sorted.
struct SpecCheck {
    let loaded: LoadedSpec
    let diagnostics: [Diagnostic]

    init(path: String) {
        loaded = SpecLoader.load(path: path)
        let graphFindings = loaded.spec.map(SpecLint.check) ?? []
        diagnostics = (loaded.diagnostics + graphFindings).sorted()
    }

    var spec: Spec? { loaded.spec }
    var errorCount: Int { diagnostics.count { $0.severity == .error } }
    var warningCount: Int { diagnostics.count { $0.severity == .warning } }
}
