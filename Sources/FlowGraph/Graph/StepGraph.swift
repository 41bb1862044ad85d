import FlowBasics
import FlowSpec

/// The steps of a spec as a graph. Tolerant: built from any spec, even one with errors;
/// successors that name no step are left out, back edges (loops and cycles) are kept in `edges`
/// but left out of `order`, the split stacks and the data flow.
public struct StepGraph: Sendable {
    public let spec: Spec
    /// Reachable steps in a topological order (declaration order breaks ties), first step first.
    public let order: [String]
    /// Every edge to a known step, in declaration order, loops and cycles included.
    public let edges: [GraphEdge]
    /// The edges that go back to the same or an earlier step: loops (`.loop`) and cycles.
    public let backEdges: [GraphEdge]

    /// The first declaration of each step name.
    let steps: [String: Step]
    let reachable: Set<String>
    let reading: EdgeReader
    let ordering: GraphOrdering
    let forwardEdges: [GraphEdge]
    private let forwardIn: [String: [GraphEdge]]
    private let forwardOut: [String: [GraphEdge]]
    let postDominators: PostDominators
    /// Split stacks, joins and the shape findings found while computing them.
    private(set) var splits: SplitAnalysis

    public init(spec: Spec) {
        self.spec = spec
        var steps: [String: Step] = [:]
        var names: [String] = []
        for step in spec.steps where steps[step.name.value] == nil {
            steps[step.name.value] = step
            names.append(step.name.value)
        }
        self.steps = steps

        let reading = EdgeReader(steps: names.compactMap { steps[$0] }, known: Set(names))
        let ordering = GraphOrdering(steps: names, edges: reading.edges)
        var edges = reading.edges
        for index in ordering.backEdges.keys {
            switch edges[index].kind {
            case .switchCase(let label): edges[index].kind = .loop(label: label)
            case .switchDefault: edges[index].kind = .loop(label: "default")
            case .next, .branch, .loop: break
            }
        }
        let reachable = ordering.reachable
        let forward = edges.indices
            .filter { ordering.backEdges[$0] == nil && reachable.contains(edges[$0].from) }
            .map { edges[$0] }

        self.reading = reading
        self.ordering = ordering
        self.reachable = reachable
        self.order = ordering.order
        self.edges = edges
        self.backEdges = ordering.backEdges.keys.sorted().map { edges[$0] }
        self.forwardEdges = forward
        let forwardIn = Dictionary(grouping: forward, by: \.to)
        let forwardOut = Dictionary(grouping: forward, by: \.from)
        self.forwardIn = forwardIn
        self.forwardOut = forwardOut
        self.postDominators = PostDominators(order: ordering.order) { step in
            var seen: Set<String> = []
            return (forwardOut[step] ?? []).filter { seen.insert($0.to).inserted }.map(\.to)
        }
        self.splits = SplitAnalysis()
        self.splits = SplitAnalysis(graph: self)
    }

    public func step(_ name: String) -> Step? { steps[name] }

    /// Every edge leaving `step`, loops included.
    public func successors(of step: String) -> [GraphEdge] {
        edges.filter { $0.from == step }
    }

    /// The distinct steps with a forward edge into `step` (back edges left out), in edge order.
    public func parents(of step: String) -> [String] {
        var seen: Set<String> = []
        return edges.indices
            .filter { ordering.backEdges[$0] == nil && edges[$0].to == step }
            .map { edges[$0].from }
            .filter { seen.insert($0).inserted }
    }

    /// How many branches and foreaches enclose `step` (a foreach step is inside its own foreach).
    public func splitDepth(of step: String) -> Int {
        enclosingSplits(of: step).count
    }

    /// The branches and foreaches that enclose `step`, outermost first.
    public func enclosingSplits(of step: String) -> [SplitFrame] {
        splits.stacks[step]?.splitsNeedingJoin ?? []
    }

    /// Whether the run can get to `step` from the first step.
    public func isReachable(_ step: String) -> Bool { reachable.contains(step) }

    // MARK: Internal views

    /// Forward edges into a reachable step from reachable parents.
    func incoming(_ step: String) -> [GraphEdge] { forwardIn[step] ?? [] }

    /// Forward edges leaving a reachable step.
    func outgoing(_ step: String) -> [GraphEdge] { forwardOut[step] ?? [] }

    /// Distinct reachable parents, in edge order.
    func reachableParents(of step: String) -> [String] {
        var seen: Set<String> = []
        return incoming(step).map(\.from).filter { seen.insert($0).inserted }
    }

    /// The step whose name the spec declares first: where the run starts.
    var first: Step? { spec.steps.first }
}
