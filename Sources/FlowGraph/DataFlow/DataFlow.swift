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
        for name in graph.order {
            guard let step = graph.step(name) else { continue }
            let parents = graph.reachableParents(of: name).compactMap { after[$0] }
            let splits = graph.enclosingSplits(of: name)
            var scope: ArtifactScope
            if parents.isEmpty {
                scope = params
            } else if step.isJoin {
                let stack = step.foreach == nil ? splits : Array(splits.dropLast())
                scope = .joining(parents, at: name, depth: stack.count, closing: stack)
            } else {
                scope = .merging(parents)
            }
            before[name] = scope
            scope.addOutputs(of: step, splits: splits, catchName: graph.catchName(of: step)?.value)
            after[name] = scope
        }
    }
}

extension StepGraph {
    /// The step's `catch` name, or the one from `defaults`.
    func catchName(of step: Step) -> Located<String>? {
        step.settings.catchName ?? spec.defaults.catchName
    }
}
