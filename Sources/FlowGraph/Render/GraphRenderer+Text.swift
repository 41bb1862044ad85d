import FlowSpec

extension GraphRenderer {
    /// A readable outline for a terminal: steps in run order, indented by split depth, each with
    /// what it does and where it goes.
    ///
    ///     MovieStats: 4 steps
    ///
    ///     start  run movies.py:load, outputs [movies, genres]
    ///       -> per_genre
    ///       per_genre  foreach genres, run movies.py:stats, outputs stats
    ///         -> combine
    public static func text(_ graph: StepGraph) -> String {
        let steps = displayOrder(graph)
        var lines = ["\(flowName(graph)): \(steps.count) step\(steps.count == 1 ? "" : "s")", ""]
        for step in steps {
            let name = step.name.value
            let indent = String(repeating: "  ", count: graph.splitDepth(of: name))
            let details = annotations(of: step, graph: graph)
            lines.append(indent + name + (details.isEmpty ? "" : "  " + details.joined(separator: ", ")))
            if let successors = successorLine(of: step, graph: graph) {
                lines.append(indent + "  -> " + successors)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func annotations(of step: Step, graph: StepGraph) -> [String] {
        var parts: [String] = []
        if step.isJoin { parts.append("join") }
        if let foreach = step.foreach { parts.append("foreach \(foreach.value)") }
        if let on = step.switchOn?.on { parts.append("switch on \(on.value)") }
        if let run = step.run { parts.append("run \(run.value.written)") }
        if let outputs = step.outputs { parts.append("outputs \(outputs.value.summary)") }
        if let bound = step.settings.maxIterations { parts.append("max_iterations \(bound.value)") }
        if !graph.isReachable(step.name.value) { parts.append("unreachable") }
        return parts
    }

    private static func successorLine(of step: Step, graph: StepGraph) -> String? {
        let edges = graph.successors(of: step.name.value)
        guard !edges.isEmpty else { return nil }
        return edges.map { edge in
            switch edge.kind {
            case .next, .branch: edge.to
            case .switchCase(let label): "\(label): \(edge.to)"
            case .switchDefault: "default: \(edge.to)"
            case .loop(let label): "\(label): \(edge.to) (loop)"
            }
        }.joined(separator: ", ")
    }
}
