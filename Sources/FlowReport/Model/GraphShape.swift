import FlowGraph
import FlowSpec
import FlowStore

/// The steps of a run and the edges between them, as its graph is drawn.
public struct GraphShape: Hashable, Sendable {
    public struct Node: Hashable, Sendable {
        public var name: String
        /// The store's word for how it connects: `start`, `linear`, `branch`, `foreach`, `switch`, `join`, `end`.
        public var kind: String
        /// What it runs (`movies.py:stats`), when the spec was read.
        public var target: String?

        public init(name: String, kind: String, target: String? = nil) {
            self.name = name
            self.kind = kind
            self.target = target
        }
    }

    public struct Edge: Hashable, Sendable {
        public var from: String
        public var to: String
        /// A switch case's value.
        public var label: String?
        /// Goes back to the same or an earlier step: a switch loop.
        public var isLoop: Bool

        public init(from: String, to: String, label: String? = nil, isLoop: Bool = false) {
            self.from = from
            self.to = to
            self.label = label
            self.isLoop = isLoop
        }
    }

    /// In run order where the spec was read, else in declaration order.
    public var nodes: [Node]
    public var edges: [Edge]

    public init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes
        self.edges = edges
    }

    /// The graph of the spec the run recorded (`spec`, its text), over the run's steps. Without
    /// a spec that reads, the edges come from which tasks followed which (`taskEdges`).
    public static func of(steps: [StepRecord], spec: (text: String, file: String)?, taskEdges: () throws -> [Edge]) rethrows -> GraphShape {
        if let spec, let parsed = SpecLoader.load(text: spec.text, file: spec.file).spec {
            let graph = StepGraph(spec: parsed)
            let known = Set(steps.map(\.name))
            let order = graph.order.filter(known.contains) + steps.map(\.name).filter { !graph.order.contains($0) }
            let kinds = Dictionary(steps.map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
            let nodes = order.map { Node(name: $0, kind: kinds[$0] ?? "linear", target: graph.step($0)?.run?.value.written) }
            let edges = graph.edges.filter { known.contains($0.from) && known.contains($0.to) }.map(Self.edge)
            return GraphShape(nodes: nodes, edges: edges)
        }
        return GraphShape(nodes: steps.map { Node(name: $0.name, kind: $0.kind) }, edges: try taskEdges())
    }

    private static func edge(_ edge: GraphEdge) -> Edge {
        switch edge.kind {
        case .next, .branch: Edge(from: edge.from, to: edge.to)
        case .switchCase(let label): Edge(from: edge.from, to: edge.to, label: label)
        case .switchDefault: Edge(from: edge.from, to: edge.to, label: "default")
        case .loop(let label): Edge(from: edge.from, to: edge.to, label: label, isLoop: true)
        }
    }
}
