import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
import LocalExecution
import SlurmExecution
import Synchronization
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run's two executors: the tasks of steps that run on Slurm (their own `executor`, else
/// the defaults', else the run's `--executor`) go to the Slurm executor, one job per task;
/// every other task, and everything else a run asks (params, foreach lengths, switch matches,
/// the check of the steps' Python), to the warm workers of this machine.
final class RoutingExecutor: RunExecutor {
    private let local: LocalExecutor
    private let slurm: SlurmExecutor
    private let jobs: WorkerTaskJobs
    /// The steps whose tasks run on Slurm.
    private let onSlurm: Set<String>
    private let printed: PrintedLines?
    /// The cancelling of the jobs a resumed run's killed scheduler left, before the first task.
    private let leftoversTask = Mutex<Task<Void, Never>?>(nil)
    private var leftovers: Task<Void, Never>? {
        get { leftoversTask.withLock { $0 } }
        set { leftoversTask.withLock { $0 = newValue } }
    }

    init(local: LocalExecutor, slurm: SlurmExecutor, jobs: WorkerTaskJobs, onSlurm: Set<String>, printed: PrintedLines?) {
        self.local = local
        self.slurm = slurm
        self.jobs = jobs
        self.onSlurm = onSlurm
        self.printed = printed
    }

    func run(_ request: TaskRequest) async -> TaskResult {
        guard onSlurm.contains(request.key.step) else { return await local.run(request) }
        await leftovers?.value
        let result = await slurm.run(request)
        // A job's output is read once it ended: shown then, as a local task's is while it runs.
        if let printed {
            if !result.stdout.isEmpty { printed(request.key, .stdout, result.stdout) }
            if !result.stderr.isEmpty { printed(request.key, .stderr, result.stderr) }
        }
        return result
    }

    func fanOut(over value: ValueSource) async throws(TaskFailure) -> FanOut { try await local.fanOut(over: value) }

    func store(_ values: [String: JSONValue]) async throws(TaskFailure) -> [String: ArtifactRef] { try await local.store(values) }

    func match(_ value: ValueSource, among cases: [JSONValue]) async throws(TaskFailure) -> Int? {
        try await local.match(value, among: cases)
    }

    func put(_ values: [String: ParamInput]) async throws(TaskFailure) -> [String: ArtifactRef] { try await local.put(values) }

    func check(_ steps: [CheckRequest.Step], in environment: PythonEnvironment) async throws(TaskFailure) -> [CheckFinding] {
        try await local.check(steps, in: environment)
    }

    var watchedSteps: Set<String> { slurm.pilotSteps }

    func noMoreTasks(of step: String) async { slurm.noMoreTasks(of: step) }

    func stopWorkers(reason: String) async {
        async let localStopped: Void = local.stopWorkers(reason: reason)
        await slurm.stop(reason: reason)
        await localStopped
    }

    func shutDown() async {
        await slurm.shutDown()
        await local.shutDown()
    }

    func began(run: String, of flow: String, resuming origin: String?) {
        local.began(run: run, of: flow, resuming: origin)
        slurm.began(run: run)
        jobs.began(TaskRun(flow: flow, id: run, origin: origin))
        if let origin { leftovers = Task { [slurm, onSlurm] in await slurm.cancelLeftovers(of: origin, steps: onSlurm) } }
    }
}

/// A task as a Slurm job reads it: the worker protocol's `task` request, run by `flowspec
/// task-job` with the step's interpreter; and the response the job writes, read back.
final class WorkerTaskJobs: TaskJobCodec {
    private let store: String
    private let specFolder: String
    private let code: [CodeFileRef]
    private let interpreters: [StepEnvironment: PythonEnvironment]
    private let main: PythonEnvironment
    private let libraryPath = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"]
    private let run = Mutex<TaskRun?>(nil)

    init(_ setup: ExecutorSetup) {
        store = setup.request.storePath
        specFolder = setup.request.specFolder
        code = setup.code
        interpreters = setup.request.environments.interpreters
        main = setup.main
    }

    func began(_ run: TaskRun) {
        self.run.withLock { $0 = run }
    }

    func request(for task: TaskRequest) -> (payload: [UInt8], env: [String: String]) {
        let message = LocalExecutor.message(for: task, id: 1, store: store, specFolder: specFolder, code: code,
                                            run: run.withLock { $0 })
        let python = interpreters[task.environment] ?? main
        return (WorkerRequest.task(message).payload(), python.workerVariables(adding: libraryPath))
    }

    func result(of payload: [UInt8]) throws -> TaskResult {
        let response = try WorkerResponse(payload: payload)
        return TaskResult(outputs: response.outputs ?? [:], failure: response.error.map(LocalExecutor.failure),
                          seconds: response.seconds ?? 0)
    }
}

extension FlowRun {
    /// The local executor when no step runs on Slurm; else the two, each step's tasks routed
    /// to its own.
    public static let standardExecutor: MakeExecutor = { setup in
        let onSlurm = slurmSteps(setup.request)
        guard !onSlurm.isEmpty else { return localExecutor(setup) }
        let local = LocalExecutor(environments: setup.request.environments.interpreters, main: setup.main,
                                  store: setup.request.storePath, specFolder: setup.request.specFolder,
                                  maxWorkers: setup.request.options.maxWorkers, printed: setup.printed, code: setup.code)
        let jobs = WorkerTaskJobs(setup)
        var slurm = slurmSetup(setup.request, steps: onSlurm)
        slurm.pending = setup.pending
        return RoutingExecutor(local: local, slurm: SlurmExecutor(slurm, codec: jobs),
                               jobs: jobs, onSlurm: onSlurm, printed: setup.printed)
    }

    /// The steps whose tasks run on Slurm: their own `executor`, else the defaults', else the run's.
    static func slurmSteps(_ request: RunRequest) -> Set<String> {
        slurmSteps(of: request.plan, in: request.spec, executor: request.options.executor)
    }

    public static func slurmSteps(of plan: ExecutionPlan, in spec: Spec, executor: ExecutorKind) -> Set<String> {
        Set(spec.steps.compactMap { plan[$0.name.value] }.filter { ($0.executor ?? executor) == .slurm }.map(\.name))
    }

    private static func slurmSetup(_ request: RunRequest, steps: Set<String>) -> SlurmExecutorSetup {
        let options = Dictionary(uniqueKeysWithValues: steps.map { step in
            (step, SlurmOptions(request.plan[step]?.slurm, overriddenBy: request.options.slurm))
        })
        return SlurmExecutorSetup(client: SlurmClient(env: request.options.callerEnv), store: request.storePath,
                                  flowspec: WorkerProcess.currentExecutable,
                                  workingDirectory: FileManager.default.currentDirectoryPath, options: options)
    }
}

extension SlurmOptions {
    /// The spec's settings of a step, each one the command line sets taken from it instead.
    init(_ spec: SlurmSettings?, overriddenBy command: SlurmSettings) {
        self.init(partition: command.partition ?? spec?.partition, account: command.account ?? spec?.account,
                  qos: command.qos ?? spec?.qos, constraint: command.constraint ?? spec?.constraint,
                  extra: (spec?.extra ?? []) + command.extra, pilots: command.pilots ?? spec?.pilots)
    }
}
