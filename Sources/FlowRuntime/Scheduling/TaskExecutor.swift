import FlowBasics
import FlowGraph

/// One task instance: a step, its position in every enclosing foreach (outermost first), and
/// how many times a switch loop has come back around it.
public struct TaskKey: Hashable, Sendable, CustomStringConvertible {
    public let step: String
    public let path: [Int]
    public let iteration: Int

    public init(step: String, path: [Int] = [], iteration: Int = 0) {
        self.step = step
        self.path = path
        self.iteration = iteration
    }

    /// `per_genre/3`, `train/1.0#2` (the third pass of a loop), for tests and debugging: it
    /// cannot tell a loop's first pass from a step outside a loop. What users see is
    /// `ExecutionPlan.label(of:)`.
    public var description: String {
        TaskLabel(positions: path, pass: iteration > 0 ? iteration : nil).path(step: step)
    }
}

extension ExecutionPlan {
    /// The task's label as every command prints it: with its pass for a step inside a loop.
    public func label(of key: TaskKey) -> TaskLabel {
        TaskLabel(positions: key.path, pass: loopingSteps.contains(key.step) ? key.iteration : nil)
    }

    /// `per_genre/3`, `train/#2`, `start`.
    public func path(of key: TaskKey) -> String {
        label(of: key).path(step: key.step)
    }
}

/// Everything an executor needs to run one step function, values as sources, not values.
public struct TaskRequest: Sendable {
    public let key: TaskKey
    /// The task as commands name it (`per_genre/3`, `train/#2`).
    public let name: String
    public let target: RunTarget
    /// Parameters bound by `with` and `args`.
    public let bound: [String: ValueSource]
    /// Every other visible name, for binding parameters by their own name.
    public let available: [String: ValueSource]
    public let outputs: OutputShape
    public let env: [String: String]
    /// Import roots as written in the spec, relative to its folder.
    public let importRoots: [String]
    /// 1 for the first try, 2 for the first retry, …
    public let attempt: Int
    /// Seconds an attempt may run before it is stopped (the step's `timeout`).
    public let timeout: Double?
    /// What the task asked for in `resources` (cpu 1 and memory 0 when it did not say), for
    /// executors that place tasks; the scheduler has already counted cpu and memory locally.
    public let needs: TaskNeeds
    /// The Python environment the step runs in.
    public var environment: StepEnvironment = .path
    /// Whether the attempt runs in an interpreter process of its own, started for it and
    /// ended after it (the step's `isolate`), instead of a warm worker shared with other tasks.
    public var isolated = false
}

/// Why a task failed, as the worker reported it.
public struct TaskFailure: Error, Hashable, Sendable {
    public let kind: FailureKind
    public let type: String
    public let message: String
    public let traceback: String
    /// The process the attempt ran in, when it got that far.
    public var process: AttemptProcess?

    public init(kind: FailureKind, type: String = "", message: String, traceback: String = "",
                process: AttemptProcess? = nil) {
        self.kind = kind
        self.type = type
        self.message = message
        self.traceback = traceback
        self.process = process
    }

    /// The failure in one line, for the run's report and progress (`ValueError: bad row 2`).
    public var summary: String { ErrorSummary.line(kind: kind.rawValue, type: type, message: message) }
}

/// The worker process an attempt ran in and, when it ended, how.
public struct AttemptProcess: Hashable, Sendable {
    public var pid: Int32
    public var exit: ExitStatus?

    public init(pid: Int32, exit: ExitStatus? = nil) {
        self.pid = pid
        self.exit = exit
    }
}

/// A cluster's job that an attempt ran as: its id, the node it ran on once placed, and the
/// state the cluster gave it last (`COMPLETED`, `TIMEOUT`…).
public struct AttemptJob: Hashable, Sendable {
    public var id: String
    public var node: String?
    public var state: String?

    public init(id: String, node: String? = nil, state: String? = nil) {
        self.id = id
        self.node = node
        self.state = state
    }
}

/// What running one task came to.
public struct TaskResult: Sendable {
    public var outputs: [String: ArtifactRef]
    public var failure: TaskFailure?
    public var stdout: String
    public var stderr: String
    public var seconds: Double
    /// The process the attempt ran in, when one did.
    public var process: AttemptProcess?
    /// The parameters its function takes by name, as the worker reported them.
    public var parameters: [String]?
    /// The cluster job the attempt ran as, for an executor that submits jobs.
    public var job: AttemptJob?

    public init(outputs: [String: ArtifactRef] = [:], failure: TaskFailure? = nil,
                stdout: String = "", stderr: String = "", seconds: Double = 0, process: AttemptProcess? = nil) {
        self.outputs = outputs
        self.failure = failure
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.process = process ?? failure?.process
    }
}

/// What a foreach fans out to: `count` items, each `value[i]`, or, when the value is not
/// indexed the way it iterates (a dict iterates its keys), each `items[i]` of the list of them
/// stored once.
public struct FanOut: Sendable, Hashable {
    public let count: Int
    public let items: ArtifactRef?

    public init(count: Int, items: ArtifactRef? = nil) {
        self.count = count
        self.items = items
    }
}

/// Runs step functions somewhere: a pool of local workers, a cluster, or a fake in tests.
/// The scheduler calls it from many concurrent tasks at once.
public protocol TaskExecutor: Sendable {
    func run(_ request: TaskRequest) async -> TaskResult
    /// The items a foreach over `value` fans out to, the way Python iterates it.
    func fanOut(over value: ValueSource) async throws(TaskFailure) -> FanOut
    /// Stores values made by the scheduler itself (a caught error, `None` outputs).
    func store(_ values: [String: JSONValue]) async throws(TaskFailure) -> [String: ArtifactRef]
    /// The index of the first of `cases` equal to `value`, or nil.
    func match(_ value: ValueSource, among cases: [JSONValue]) async throws(TaskFailure) -> Int?
    /// Steps to be told of (`noMoreTasks`) when they can have no further task.
    var watchedSteps: Set<String> { get }
    /// No further task of `step` can come, unless a loop brings the step back: what the
    /// executor holds for it alone (a Slurm step's pilots) can go.
    func noMoreTasks(of step: String) async
}

extension TaskExecutor {
    public var watchedSteps: Set<String> { [] }
    public func noMoreTasks(of step: String) async {}
}
