import FlowBasics
import FlowSpec

/// `flowspec show`: the graph as a terminal outline, Graphviz, Mermaid or JSON.
/// Each format lives in its own file (`GraphRenderer+Text.swift`, ...).
public enum GraphRenderer {
    /// Reachable steps in run order, then the unreachable ones as declared.
    static func displayOrder(_ graph: StepGraph) -> [Step] {
        let placed = Set(graph.order)
        let rest = graph.spec.steps.map(\.name.value).filter { !placed.contains($0) }
        var seen: Set<String> = []
        return (graph.order + rest).filter { seen.insert($0).inserted }.compactMap { graph.step($0) }
    }

    static func flowName(_ graph: StepGraph) -> String {
        graph.spec.name?.value ?? "flow"
    }
}

extension RunTarget {
    /// As written in a spec: `pkg.module:function`, `file.py:function`.
    public var written: String {
        switch source {
        case .module(let path), .file(let path), .notebook(let path): "\(path):\(function)"
        }
    }
}

extension Outputs {
    /// `name`, `[a, b]` or `*`.
    var summary: String {
        switch self {
        case .single(let name): name
        case .unpacked(let names): "[" + names.map(\.value).joined(separator: ", ") + "]"
        case .mapping: "*"
        }
    }

    /// The declared names; `["*"]` for a mapping.
    var names: [String] {
        switch self {
        case .single(let name): [name]
        case .unpacked(let names): names.map(\.value)
        case .mapping: ["*"]
        }
    }
}
