import FlowBasics
import FlowSpec

/// Which artifacts each reachable step sees, computed in topological order: a step sees what its
/// ancestors produced, nearest first; a join merges what was produced inside the split it closes.
struct DataFlow: Sendable {
    /// What each step, by id, sees when it starts; nil for unreachable steps.
    private(set) var before: [ArtifactScope?]
    /// What a step's children see from it: `before` plus its own outputs.
    private(set) var after: [ArtifactScope?]

    init(graph: StepGraph) {
        before = Array(repeating: nil, count: graph.stepCount)
        after = before
        let catchNames = graph.declarations.map { graph.catchName(of: $0)?.value }
        let params = ArtifactScope.params(of: graph.spec)
        let inside = Self.namesProducedInside(graph, catchNames: catchNames)
        for id in graph.orderIDs {
            let step = graph.declarations[id]
            let parents = graph.reachableParents(of: id).compactMap { after[$0] }
            let splits = graph.enclosingSplits(of: id)
            var scope: ArtifactScope
            if parents.isEmpty {
                scope = params
            } else if let closed = graph.splits.closes[step.name.value], let base = openingScope(of: closed, graph: graph) {
                let stack = step.foreach == nil ? splits : Array(splits.dropLast())
                scope = .joining(parents, at: step.name.value, depth: stack.count, closing: stack,
                                 base: base, inside: inside[closed.opener] ?? [])
            } else {
                scope = .merging(parents)
            }
            before[id] = scope
            scope.addOutputs(of: step, splits: splits, catchName: catchNames[id])
            after[id] = scope
        }
    }

    /// What the children of the step named `step` see from it.
    func after(_ step: String, in graph: StepGraph) -> ArtifactScope? {
        graph.id(step).flatMap { after[$0] }
    }
}

extension DataFlow {
    /// For each step that opens a branch or foreach, the names produced by the steps inside it.
    private static func namesProducedInside(_ graph: StepGraph, catchNames: [String?]) -> [String: Set<String>] {
        var inside: [String: Set<String>] = [:]
        for id in graph.orderIDs {
            let step = graph.declarations[id]
            guard step.run != nil else { continue }
            let produced = step.outputShape.names + [catchNames[id]].compactMap { $0 }
            for frame in graph.enclosingSplits(of: id) {
                inside[frame.step, default: []].formUnion(produced)
            }
        }
        return inside
    }

    /// What every branch of a split saw as it opened: a foreach step's own view (it runs
    /// inside its foreach), or what a branching step passes to its children.
    private func openingScope(of split: SplitAnalysis.Closed, graph: StepGraph) -> ArtifactScope? {
        guard let opener = graph.id(split.opener) else { return nil }
        if case .foreach = split { return before[opener] }
        return after[opener]
    }
}

extension StepGraph {
    /// For hints: the first step, in declaration order, that produces `name`. Searched only
    /// when a message needs it.
    func firstProducer(of name: String) -> String? {
        spec.steps.first { step in
            step.run != nil && (step.outputShape.names.contains(name) || catchName(of: step)?.value == name)
        }?.name.value
    }

    /// The `catch` name that applies to the step.
    func catchName(of step: Step) -> Located<String>? {
        spec.settings(of: step).catchName
    }
}

extension DataFlow {
    /// The names a task of the step may bind a parameter to by its own name (docs/spec.md
    /// section 3): what it sees, with `item` and `index` inside a foreach and `inputs` in a join;
    /// nil when an ancestor's `outputs: "*"` makes them unknowable.
    func visibleNames(of id: StepID, graph: StepGraph) -> Set<String>? {
        guard let scope = before[id], !scope.isOpaque else { return nil }
        var names = Set(scope.names)
        if graph.enclosingSplits(of: id).contains(where: { if case .foreach = $0 { true } else { false } }) {
            names.formUnion(["item", "index"])
        }
        if graph.declarations[id].isJoin { names.insert("inputs") }
        return names
    }
}
