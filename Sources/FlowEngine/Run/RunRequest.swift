import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
import FlowStore
import LocalExecution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything one run needs, as plain values: the flow, where its params come from, the store,
/// and what it runs within.
public struct RunRequest: Sendable {
    /// Where the run's params come from.
    public enum Inputs: Sendable {
        /// `run`: values given or defaulted, stored when the run begins.
        case params([String: ParamInput])
        /// `resume`: the earlier run's params, and its tasks to take.
        case resume(ResumePlan)
    }

    public struct Options: Sendable {
        /// How many tasks run at once.
        public var maxWorkers: Int
        /// The cpu and memory the tasks running at one time may ask for in all.
        public var resourceLimits: ResourceLimits
        /// The most tasks one foreach may fan out to.
        public var maxSplits: Int
        /// Recorded with the run.
        public var tags: [String]
        /// Whether the steps' Python is checked (as `lint --deep` checks it) before anything is stored.
        public var checksPython: Bool
        /// The variables of whoever starts the run, which `env` values may name.
        public var callerEnv: [String: String]
        /// Stops the run when requested; the run is then recorded as interrupted.
        public var interruption: Interruption
        /// How often the run says in the store that it is alive.
        public var heartbeatInterval: Swift.Duration
        /// Whether steps with `cache: true` take tasks from the cache (`--no-cache` turns it off).
        public var usesCache = true
        /// Where the tasks of a step without its own `executor` (nor the defaults') run.
        public var executor: ExecutorKind = .local
        /// The command line's Slurm settings (`--slurm-partition`…): each one set wins over the
        /// spec's; `extra` arguments come after the spec's.
        public var slurm = SlurmSettings()

        public init(maxWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, resourceLimits: ResourceLimits = .machine(),
                    maxSplits: Int = 100_000, tags: [String] = [], checksPython: Bool = true,
                    callerEnv: [String: String] = ProcessInfo.processInfo.environment,
                    interruption: Interruption = Interruption(), heartbeatInterval: Swift.Duration = RunRecorder.heartbeatInterval) {
            self.maxWorkers = maxWorkers
            self.resourceLimits = resourceLimits
            self.maxSplits = maxSplits
            self.tags = tags
            self.checksPython = checksPython
            self.callerEnv = callerEnv
            self.interruption = interruption
            self.heartbeatInterval = heartbeatInterval
        }
    }

    public let spec: Spec
    public let plan: ExecutionPlan
    /// The spec's path, absolute.
    public let specPath: String
    /// Every step's Python environment, the `requirements` ones built.
    public let environments: RunEnvironments
    public let inputs: Inputs
    /// The store's folder, absolute.
    public let storePath: String
    public var options: Options
    /// The store's fence, held shared since the command first looked at the store; the run
    /// releases it once its record has committed (or takes it itself before its first write).
    public var startFence: StoreFence?

    public init(spec: Spec, plan: ExecutionPlan, specPath: String, environments: RunEnvironments, inputs: Inputs,
                storePath: String, options: Options = Options(), startFence: StoreFence? = nil) {
        self.spec = spec
        self.plan = plan
        self.specPath = specPath
        self.environments = environments
        self.inputs = inputs
        self.storePath = storePath
        self.options = options
        self.startFence = startFence
    }

    /// Where relative paths of the spec start.
    public var specFolder: String { UserPath.parent(of: specPath) }

    /// The run resumed, for `resume`.
    public var resume: ResumePlan? {
        if case .resume(let plan) = inputs { plan } else { nil }
    }
}
