import FlowBasics
import FlowSpec

/// A step's position among the spec's distinct step names, in declaration order. The graph's
/// walks index arrays with it instead of hashing names: on a 1,000-step flow, hashing step names
/// was a fifth of what `lint` spent.
typealias StepID = Int

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

    /// The first declaration of each step name, by id.
    let declarations: [Step]
    private let ids: [String: StepID]
    /// `order` as ids.
    let orderIDs: [StepID]
    /// Each edge's ends as ids, parallel to `edges`.
    let ends: [EdgeEnds]
    let reading: EdgeReader
    let ordering: GraphOrdering
    /// Indices into `edges` of the forward edges into and out of each reachable step.
    private let forwardIn: Adjacency
    private let forwardOut: Adjacency
    /// The distinct reachable parents of each step, in edge order.
    private let parentIDs: Adjacency
    let postDominators: PostDominators
    /// Split stacks, joins and the shape findings found while computing them.
    private(set) var splits: SplitAnalysis

    public init(spec: Spec) {
        self.spec = spec
        let (ids, declarations) = Self.firstDeclarations(in: spec)
        self.ids = ids
        self.declarations = declarations

        let reading = EdgeReader(steps: declarations, ids: ids)
        let ordering = GraphOrdering(names: declarations.map(\.name.value), ends: reading.ends)
        let edges = Self.labellingLoops(reading.edges, backEdges: ordering.backEdges.keys)
        let forward = reading.ends.indices.filter {
            ordering.backEdges[$0] == nil && ordering.reachable[reading.ends[$0].from]
        }
        let forwardIn = Adjacency(rows: declarations.count, pairs: forward.map { (reading.ends[$0].to, $0) })
        let forwardOut = Adjacency(rows: declarations.count, pairs: forward.map { (reading.ends[$0].from, $0) })
        let parentIDs = forwardIn.map { reading.ends[$0].from }.withoutRepeats()
        let childIDs = forwardOut.map { reading.ends[$0].to }.withoutRepeats()

        self.reading = reading
        self.ordering = ordering
        self.ends = reading.ends
        self.orderIDs = ordering.order
        self.order = ordering.order.map { declarations[$0].name.value }
        self.edges = edges
        self.backEdges = ordering.backEdges.keys.sorted().map { edges[$0] }
        self.forwardIn = forwardIn
        self.forwardOut = forwardOut
        self.parentIDs = parentIDs
        self.postDominators = PostDominators(order: ordering.order, stepCount: declarations.count) { childIDs[$0] }
        self.splits = SplitAnalysis()
        self.splits = SplitAnalysis(graph: self)
    }

    /// Each distinct step name's id, and the name's first declaration at that id.
    private static func firstDeclarations(in spec: Spec) -> (ids: [String: StepID], steps: [Step]) {
        var ids: [String: StepID] = [:]
        ids.reserveCapacity(spec.steps.count)
        var steps: [Step] = []
        steps.reserveCapacity(spec.steps.count)
        for step in spec.steps where ids[step.name.value] == nil {
            ids[step.name.value] = steps.count
            steps.append(step)
        }
        return (ids, steps)
    }

    /// `edges` with the switch cases and defaults among `backEdges` marked as loops.
    private static func labellingLoops(_ edges: [GraphEdge], backEdges: some Sequence<Int>) -> [GraphEdge] {
        var edges = edges
        for index in backEdges {
            switch edges[index].kind {
            case .switchCase(let label): edges[index].kind = .loop(label: label)
            case .switchDefault: edges[index].kind = .loop(label: "default")
            case .next, .branch, .loop: break
            }
        }
        return edges
    }

    public func step(_ name: String) -> Step? { id(name).map { declarations[$0] } }

    /// Every edge leaving `step`, loops included.
    public func successors(of step: String) -> [GraphEdge] {
        edges.filter { $0.from == step }
    }

    /// The distinct steps with a forward edge into `step` (back edges left out), in edge order.
    public func parents(of step: String) -> [String] {
        guard let id = id(step) else { return [] }
        var seen: Set<StepID> = []
        return ends.indices
            .filter { ordering.backEdges[$0] == nil && ends[$0].to == id }
            .map { ends[$0].from }
            .filter { seen.insert($0).inserted }
            .map(name)
    }

    /// How many branches and foreaches enclose `step` (a foreach step is inside its own foreach).
    public func splitDepth(of step: String) -> Int {
        enclosingSplits(of: step).count
    }

    /// The branches and foreaches that enclose `step`, outermost first.
    public func enclosingSplits(of step: String) -> [SplitFrame] {
        id(step).map(enclosingSplits) ?? []
    }

    /// Whether the run can get to `step` from the first step.
    public func isReachable(_ step: String) -> Bool {
        id(step).map { ordering.reachable[$0] } ?? false
    }

    // MARK: Internal views, by id

    func id(_ name: String) -> StepID? { ids[name] }

    func name(_ id: StepID) -> String { declarations[id].name.value }

    var stepCount: Int { declarations.count }

    func isReachable(_ id: StepID) -> Bool { ordering.reachable[id] }

    func enclosingSplits(of id: StepID) -> [SplitFrame] {
        splits.stacks[id].splitsNeedingJoin
    }

    /// Indices into `edges` of the forward edges into a reachable step from reachable parents.
    func incoming(_ id: StepID) -> ArraySlice<Int> { forwardIn[id] }

    /// Indices into `edges` of the forward edges leaving a reachable step.
    func outgoing(_ id: StepID) -> ArraySlice<Int> { forwardOut[id] }

    /// Distinct reachable parents, in edge order.
    func reachableParents(of id: StepID) -> ArraySlice<StepID> { parentIDs[id] }

    func reachableParents(of step: String) -> [String] {
        id(step).map { parentIDs[$0].map(name) } ?? []
    }
}

/// An edge's two steps, as ids.
struct EdgeEnds: Sendable {
    var from: StepID
    var to: StepID
}
