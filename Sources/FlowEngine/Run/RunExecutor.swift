import FlowBasics
import FlowRuntime
import LocalExecution
import WorkerProtocol

/// The executor a run hands its tasks to, with what the run asks of it besides tasks.
public protocol RunExecutor: TaskExecutor {
    /// Stores the run's params, returning where.
    func put(_ values: [String: ParamInput]) async throws(TaskFailure) -> [String: ArtifactRef]
    /// What checking `steps` in `environment` found (the check of `lint --deep`).
    func check(_ steps: [CheckRequest.Step], in environment: PythonEnvironment) async throws(TaskFailure) -> [CheckFinding]
    /// Stops the running tasks now; `reason` is the message of the attempts this ends.
    func stopWorkers(reason: String) async
    /// Stops every worker, at the run's end.
    func shutDown() async
    /// Tells the tasks from now on which run they are of (`flowspec.current` in a step).
    func began(run: String, of flow: String, resuming origin: String?)
}

extension RunExecutor {
    /// An executor whose tasks need not know their run (a test's fake).
    public func began(run: String, of flow: String, resuming origin: String?) {}
}

extension LocalExecutor: RunExecutor {}

/// What a run makes its executor from.
public struct ExecutorSetup: Sendable {
    public let request: RunRequest
    /// The flow's own interpreter: where params are stored.
    public let main: PythonEnvironment
    /// The run's code snapshot (with a resumed run's), for the workers that read values.
    public let code: [CodeFileRef]
    /// Where what tasks print goes as they print it, if anywhere.
    public let printed: PrintedLines?
    /// Told when a started task's job waits in a cluster's queue, and when it leaves it.
    public var pending: (@Sendable (TaskKey, Bool) -> Void)? = nil
}

public typealias MakeExecutor = @Sendable (ExecutorSetup) -> any RunExecutor

extension FlowRun {
    /// Warm workers on this machine, in each step's environment.
    public static let localExecutor: MakeExecutor = { setup in
        LocalExecutor(environments: setup.request.environments.interpreters, main: setup.main, store: setup.request.storePath,
                      specFolder: setup.request.specFolder, maxWorkers: setup.request.options.maxWorkers,
                      printed: setup.printed, code: setup.code)
    }
}
