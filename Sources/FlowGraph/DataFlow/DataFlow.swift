import FlowBasics
import FlowSpec

/// Which artifacts each reachable step sees, computed in topological order: a step sees what its
/// ancestors produced, nearest first; a join merges what was produced inside the split it closes.
struct DataFlow {
    /// What a step sees when it starts.
    private(set) var before: [String: ArtifactScope] = [:]
    /// What a step's children see from it: `before` plus its own outputs.
    private(set) var after: [String: ArtifactScope] = [:]
    /// For hints: the first step, in declaration order, that produces each name.
    private(set) var producers: [String: String] = [:]

    init(graph: StepGraph) {
        for step in graph.spec.steps where step.run != nil {
            for name in step.producedNames + [graph.catchName(of: step)?.value].compactMap({ $0 })
            where producers[name] == nil {
                producers[name] = step.name.value
            }
        }
        let params = ArtifactScope.params(of: graph.spec)
        let inside = Self.namesProducedInside(graph)
        for name in graph.order {
            guard let step = graph.step(name) else { continue }
            let parents = graph.reachableParents(of: name).compactMap { after[$0] }
            let splits = graph.enclosingSplits(of: name)
            var scope: ArtifactScope
            if parents.isEmpty {
                scope = params
            } else if step.isJoin, let closed = closedSplit(by: name, graph: graph), let base = openingScope(of: closed) {
                let stack = step.foreach == nil ? splits : Array(splits.dropLast())
                scope = .joining(parents, at: name, depth: stack.count, closing: stack,
                                 base: base, inside: inside[closed.step] ?? [])
            } else {
                scope = .merging(parents)
            }
            before[name] = scope
            scope.addOutputs(of: step, splits: splits, catchName: graph.catchName(of: step)?.value)
            after[name] = scope
        }
    }
}

extension DataFlow {
    /// For each step that opens a branch or foreach, the names produced by the steps inside it.
    private static func namesProducedInside(_ graph: StepGraph) -> [String: Set<String>] {
        var inside: [String: Set<String>] = [:]
        for name in graph.order {
            guard let step = graph.step(name), step.run != nil else { continue }
            let produced = step.producedNames + [graph.catchName(of: step)?.value].compactMap { $0 }
            for frame in graph.enclosingSplits(of: name) {
                inside[frame.step, default: []].formUnion(produced)
            }
        }
        return inside
    }

    /// The branch or foreach a join closes: its first parent's split one level below the join's.
    private func closedSplit(by join: String, graph: StepGraph) -> SplitFrame? {
        guard let parent = graph.reachableParents(of: join).first, let step = graph.step(join) else { return nil }
        let depth = graph.splitDepth(of: join) - (step.foreach == nil ? 0 : 1)
        let parentSplits = graph.enclosingSplits(of: parent)
        return parentSplits.indices.contains(depth) ? parentSplits[depth] : nil
    }

    /// What every branch of a split saw as it opened: a foreach step's own view (it runs
    /// inside its foreach), or what a branching step passes to its children.
    private func openingScope(of split: SplitFrame) -> ArtifactScope? {
        if case .foreach(let step) = split { return before[step] }
        return after[split.step]
    }
}

extension StepGraph {
    /// The step's `catch` name, or the one from `defaults`.
    func catchName(of step: Step) -> Located<String>? {
        step.settings.catchName ?? spec.defaults.catchName
    }
}
