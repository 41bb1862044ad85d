import FlowBasics
import FlowSpec

/// What a run executes: every step of a lint-clean spec with its successors, what each join
/// closes, the join that closes each foreach, and every setting resolved. Immutable; the
/// scheduler walks it, and nothing after it reads the spec's steps.
public struct ExecutionPlan: Sendable {
    /// A `switch` case: the value that selects it and where it leads.
    public struct Route: Sendable {
        /// Nil for the default route.
        public let value: JSONValue?
        public let label: String
        public let target: String
        /// Whether the route goes back to the same or an earlier step.
        public let isLoop: Bool
    }

    public enum Join: Sendable {
        /// Closes the static branches of `opener`. `branches` lists, in branch order, the
        /// steps each branch may end at: one, or several when a switch inside it chooses.
        case branch(opener: String, branches: [[String]])
        /// Closes the foreach of `opener`.
        case foreach(opener: String)
        /// Closes no split: it is where a switch's cases converge, and only one of `parents`
        /// leads to it in a run.
        case cases(parents: [String])
    }

    public let flowName: String
    public let first: String
    /// Steps in a topological order, first step first.
    public let order: [String]
    /// The steps inside a switch loop, whose tasks are labelled with their pass (`#K`).
    public let loopingSteps: Set<String>
    /// Settable only inside the module (and by tests that break a plan on purpose).
    var steps: [String: PlannedStep]

    public subscript(name: String) -> PlannedStep? { steps[name] }

    /// The plan of a graph lint found no errors in (`isPlannable`); a spec's own errors are for
    /// the caller to have checked.
    public init(_ linted: LintedGraph) {
        precondition(linted.isPlannable, "a plan is made only from a graph without errors")
        let graph = linted.graph
        var joins: [String: Join] = [:]
        var closingJoins: [String: String] = [:]
        for name in graph.order where graph.step(name)?.isJoin == true {
            let join = Self.join(closedBy: name, graph: graph)
            joins[name] = join
            if case .foreach(let opener) = join { closingJoins[opener] = name }
        }
        var steps: [String: PlannedStep] = [:]
        for name in graph.order {
            guard let id = graph.id(name) else { continue }
            steps[name] = PlannedStep(graph.declarations[id], id: id, in: linted, join: joins[name],
                                      closingJoin: closingJoins[name])
        }
        flowName = graph.spec.name?.value ?? "Flow"
        first = graph.order[0]
        order = graph.order
        loopingSteps = graph.loopingSteps
        self.steps = steps
    }

    /// What lint found the join closes (`SplitAnalysis.closes`), its branches in branch order;
    /// a join that closes no split is where a switch's cases converge.
    private static func join(closedBy name: String, graph: StepGraph) -> Join {
        switch graph.splits.closes[name] {
        case .foreach(let opener)?:
            return .foreach(opener: opener)
        case .branch(let opener, let arrivals)?:
            let branches = arrivals.sorted { $0.index < $1.index }.map { arrival in
                var seen: Set<String> = []
                return arrival.parents.filter { seen.insert($0).inserted }
            }
            return .branch(opener: opener, branches: branches)
        case nil:
            return .cases(parents: graph.parents(of: name))
        }
    }
}
