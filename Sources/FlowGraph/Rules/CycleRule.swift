import FlowBasics
import FlowSpec

/// The graph has no cycles (FS0302) except loops: a `switch` case or default back to the same
/// or an earlier step. A loop needs `max_iterations` on its switch step (FS0311) and must stay
/// within the split of that step (FS0315); `max_iterations` without a loop does nothing (FS0312).
enum CycleRule {
    static func check(_ graph: StepGraph) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        for (index, path) in graph.ordering.backEdges.sorted(by: { $0.key < $1.key }) {
            let edge = graph.edges[index]
            guard edge.isLoop else {
                findings.append(.cycle(edge, path: path))
                continue
            }
            guard let step = graph.step(edge.from) else { continue }
            if graph.spec.settings(of: step).maxIterations == nil {
                findings.append(.unboundedLoop(edge))
            }
            if graph.isReachable(edge.from) {
                let inner = graph.enclosingSplits(of: edge.from), outer = graph.enclosingSplits(of: edge.to)
                if inner != outer {
                    findings.append(.loopCrossesSplit(edge, from: inner, to: outer))
                }
            }
        }
        let looping = Set(graph.backEdges.filter(\.isLoop).map(\.from))
        for step in graph.spec.steps where !looping.contains(step.name.value) {
            if let bound = step.settings.maxIterations {
                findings.append(.unusedMaxIterations(step, at: bound.span))
            }
        }
        return findings
    }
}

// MARK: - Messages

extension GraphEdge {
    /// "switch case 'again' of step 'check'" or "the switch default of step 'check'".
    fileprivate var casePhrase: String {
        switch kind {
        case .switchCase(let label): "switch case '\(label)' of step '\(from)'"
        case .loop(let label) where label != "default": "switch case '\(label)' of step '\(from)'"
        default: "the switch default of step '\(from)'"
        }
    }
}

extension Diagnostic {
    fileprivate static func cycle(_ edge: GraphEdge, path: [String]) -> Diagnostic {
        Diagnostic(
            .cycle, at: edge.span,
            "'next' of step '\(edge.from)' leads back to '\(edge.to)', making a cycle: "
                + path.joined(separator: " -> "),
            hint: "to repeat steps, go back with a 'switch' case and set 'max_iterations'")
    }

    fileprivate static func unboundedLoop(_ edge: GraphEdge) -> Diagnostic {
        Diagnostic(
            .loopWithoutBound, at: edge.span,
            "\(edge.casePhrase) loops back to '\(edge.to)', but '\(edge.from)' sets no 'max_iterations'",
            hint: "add 'max_iterations: N' to '\(edge.from)' to bound the loop")
    }

    fileprivate static func loopCrossesSplit(_ edge: GraphEdge, from inner: [SplitFrame], to outer: [SplitFrame]) -> Diagnostic {
        let shared = commonPrefix([inner, outer]).count
        let reason = inner.count > shared
            ? "'\(edge.to)' is outside \(inner[shared].phrase)"
            : "'\(edge.to)' is inside \(outer[shared].phrase), which '\(edge.from)' is not"
        return Diagnostic(
            .loopCrossesSplit, at: edge.span,
            "\(edge.casePhrase) loops back to '\(edge.to)' in a different split: \(reason)",
            hint: "loop back to a step in the same branch or foreach as '\(edge.from)'")
    }

    fileprivate static func unusedMaxIterations(_ step: Step, at span: SourceSpan) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .unusedMaxIterations, at: span,
            "step '\(name)' sets 'max_iterations' but no switch case of it loops back",
            hint: "remove 'max_iterations' from '\(name)', or loop back with a 'switch' case")
    }
}
