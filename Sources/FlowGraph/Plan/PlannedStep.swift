import FlowBasics

extension ExecutionPlan {
    /// One step as a run executes it: how it connects, what its tasks call and bind, and every
    /// setting resolved (its own value, else the one in `defaults`): nothing after the plan reads
    /// the spec's steps or `defaults`. Settable only inside the module (and by tests that break a
    /// plan on purpose).
    public struct PlannedStep: Sendable {
        public internal(set) var name: String
        public internal(set) var kind: StepKind

        // MARK: How it connects

        /// Static successors (`next`), in the order written: one, or the branches of a split.
        public internal(set) var next: [String]
        /// `switch` routes, cases first in the order written, then the default.
        public internal(set) var routes: [Route]
        /// What the value of the switch is read from, for a step with `switch`.
        public internal(set) var switchOn: Reference?
        /// What a foreach step fans out over.
        public internal(set) var foreach: Reference?
        /// For a `join: true` step: what it closes.
        public internal(set) var join: Join?
        /// For a foreach step: the join that closes its fan-out (run at once when it is empty).
        public internal(set) var closingJoin: String?
        /// Whether `next` opens static branches (a join closes them).
        public internal(set) var opensBranches: Bool
        /// Whether the run ends at this step: it has neither `next` nor `switch`.
        public internal(set) var isLast: Bool

        // MARK: What its tasks run

        /// The function it calls; nil for a step without `run`, which only passes artifacts on.
        public internal(set) var function: RunTarget?
        /// Parameters bound by `with`, in the order written.
        public internal(set) var literals: [Literal]
        /// Parameters bound by `args`, in the order written.
        public internal(set) var args: [Argument]
        /// What it produces: how its return value becomes artifacts.
        public internal(set) var outputs: OutputShape
        /// The names a task of it may bind a parameter to by the parameter's own name: params,
        /// what its ancestors produce (names produced inside a split stay visible at its join,
        /// where only those equal on every branch are bound at run time), `item` and `index`
        /// inside a foreach, `inputs` in a join. Nil when an ancestor's `outputs: "*"` makes them
        /// unknowable.
        public internal(set) var visibleNames: Set<String>?
        /// Its `report:` names, in the order written: the artifacts its run's pages show first.
        public internal(set) var report: [String]

        // MARK: Settings, resolved

        public internal(set) var retry: RetryPolicy?
        /// How long an attempt may run before it is stopped.
        public internal(set) var timeout: FlowBasics.Duration?
        /// The name a caught failure is stored under; nil when failures are not caught (or the
        /// step has no `run`).
        public internal(set) var catchName: String?
        /// The most times its switch may loop back in one pass through its loop; nil when unbounded.
        public internal(set) var maxIterations: Int?
        /// At most this many of its tasks run at once; nil for no bound.
        public internal(set) var concurrency: Int?
        /// What one task asks for, as written; nil when nothing is.
        public internal(set) var resources: Resources?
        /// The flow's `env` under the step's own, by name, values as written (`${VAR}` unexpanded).
        public internal(set) var env: [String: String]
        /// Import roots as written (relative to the spec's folder): its own `python.path`, then
        /// the defaults', then the flow's.
        public internal(set) var importRoots: [String]
        /// The Python environment its tasks run in.
        public internal(set) var environment: StepEnvironment
        public internal(set) var cache: Bool
        public internal(set) var isolate: Bool
        /// Where its tasks run as the spec says (its own `executor`, else the defaults'); nil
        /// when neither says, so the run's `--executor` decides.
        public internal(set) var executor: ExecutorKind?
        /// Its own `slurm` settings, else the defaults'; nil when neither has any.
        public internal(set) var slurm: SlurmSettings?
    }

    /// A parameter bound by `with` to a value.
    public struct Literal: Sendable {
        public let parameter: String
        public let value: JSONValue
    }

    /// A parameter bound by `args` to a reference.
    public struct Argument: Sendable {
        public let parameter: String
        public let reference: Reference
    }

    /// How a step connects, in the store's words (specs/store-format.md, `steps.kind`).
    public enum StepKind: String, Sendable {
        case linear, branch, foreach, `switch`, join, end
    }
}
