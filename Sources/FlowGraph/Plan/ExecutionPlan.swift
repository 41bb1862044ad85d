import FlowBasics
import FlowSpec

/// What a run executes: every step of a lint-clean spec with its successors, the split each
/// join closes, and the join that closes each foreach. Immutable; the scheduler walks it.
public struct ExecutionPlan: Sendable {
    public struct PlannedStep: Sendable {
        public let step: Step
        /// Static successors (`next`), in the order written: one, or the branches of a split.
        public let next: [String]
        /// `switch` routes, cases first in the order written, then the default.
        public let routes: [Route]
        public let join: Join?
        /// For a foreach step: the join that closes its fan-out (run at once when it is empty).
        public let closingJoin: String?
        /// Whether `next` opens static branches (a join closes them).
        public let opensBranches: Bool
        /// The most times the step's switch may run in one pass through its loop: its own
        /// `max_iterations`, else the one in `defaults`; nil when unbounded.
        public let maxIterations: Int?

        public var name: String { step.name.value }
    }

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
    /// The flow's `env`, and the settings `defaults` gives steps that omit them.
    public let flowEnvironment: [EnvVar]
    public let defaults: StepSettings
    public let python: PythonSettings?
    public let first: String
    /// Steps in a topological order, first step first.
    public let order: [String]
    /// The steps inside a switch loop, whose tasks are labelled with their pass (`#K`).
    public let loopingSteps: Set<String>
    /// Settable only inside the module (and by tests that break a plan on purpose).
    var steps: [String: PlannedStep]

    public subscript(name: String) -> PlannedStep? { steps[name] }

    /// A step's import roots as written (relative to the spec's folder): its own `python.path`,
    /// then the defaults', then the flow's.
    public func importRoots(of step: Step) -> [String] {
        [step.settings.python, defaults.python, python].compactMap { $0 }.flatMap { $0.path.map(\.value) }
    }

    /// The plan of a spec, or nil when the spec has errors that make it unplannable
    /// (lint reports them).
    public init?(spec: Spec) {
        let graph = StepGraph(spec: spec)
        guard let first = graph.order.first, !SpecLint.check(graph).hasErrors else { return nil }
        var joins: [String: Join] = [:]
        var closingJoins: [String: String] = [:]
        for name in graph.order where graph.step(name)?.isJoin == true {
            guard let join = Self.join(closedBy: name, graph: graph) else { continue }
            joins[name] = join
            if case .foreach(let opener) = join { closingJoins[opener] = name }
        }
        var steps: [String: PlannedStep] = [:]
        for name in graph.order {
            guard let step = graph.step(name) else { continue }
            steps[name] = PlannedStep(
                step: step, next: step.next.map(\.value), routes: Self.routes(of: step, graph: graph),
                join: joins[name], closingJoin: closingJoins[name],
                opensBranches: EdgeReader.opensBranches(step),
                maxIterations: (step.settings.maxIterations ?? spec.defaults.maxIterations)?.value)
        }
        self.flowName = spec.name?.value ?? "Flow"
        self.flowEnvironment = spec.env
        self.defaults = spec.defaults
        self.python = spec.python
        self.first = first
        self.order = graph.order
        self.loopingSteps = graph.loopingSteps
        self.steps = steps
    }

    private static func routes(of step: Step, graph: StepGraph) -> [Route] {
        guard let choice = step.switchOn else { return [] }
        let loops = Set(graph.backEdges.filter { $0.from == step.name.value }.map(\.to))
        var routes = choice.cases.map { route in
            Route(value: route.value.json, label: route.value.scalarText ?? "", target: route.target.value,
                  isLoop: loops.contains(route.target.value))
        }
        if let fallback = choice.defaultTarget {
            routes.append(Route(value: nil, label: "default", target: fallback.value, isLoop: loops.contains(fallback.value)))
        }
        return routes
    }

    /// The split a join closes: its parents' split one level deeper than the join's own.
    private static func join(closedBy name: String, graph: StepGraph) -> Join? {
        guard let step = graph.step(name) else { return nil }
        let depth = graph.splitDepth(of: name) - (step.foreach == nil ? 0 : 1)
        let parents = graph.parents(of: name)
        let frames = parents.compactMap { parent -> (String, SplitFrame)? in
            let splits = graph.enclosingSplits(of: parent)
            return splits.indices.contains(depth) ? (parent, splits[depth]) : nil
        }
        guard let (_, frame) = frames.first else { return .cases(parents: parents) }
        switch frame {
        case .foreach(let opener):
            return .foreach(opener: opener)
        case .branch(let opener, _):
            var branches: [Int: [String]] = [:]
            for (parent, frame) in frames {
                if case .branch(_, let index) = frame { branches[index, default: []].append(parent) }
            }
            return .branch(opener: opener, branches: branches.keys.sorted().compactMap { branches[$0] })
        case .switch:
            return .cases(parents: parents)
        }
    }
}
