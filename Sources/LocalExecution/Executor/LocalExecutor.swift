import FlowBasics
import FlowGraph
import FlowRuntime
import Synchronization
import WorkerProtocol
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs tasks in warm worker processes on this machine (`flowspec worker`, embedding the
/// user's Python), each in its step's environment, at most `maxWorkers` at once. A worker that
/// dies fails only the task it ran, with the signal or exit status, and is replaced.
public final class LocalExecutor: TaskExecutor {
    private let pool: WorkerPool
    private let store: String
    private let specFolder: String
    /// The interpreter of each environment steps ask for.
    private let environments: [StepEnvironment: PythonEnvironment]
    /// Where params are stored and values are read for a foreach or a switch: the flow's.
    private let main: PythonEnvironment
    /// Where the lines tasks print go as they print them, if anywhere.
    private let printed: PrintedLines?
    private let streamer: OutputStreamer?
    /// The run's code snapshot, sent with every request that reads values.
    private let code: [CodeFileRef]

    /// - Parameters:
    ///   - environments: the interpreter of every environment a step of the plan asks for.
    ///   - main: the flow's own environment (the one its `python` gives).
    ///   - store: the store's folder, absolute.
    ///   - specFolder: where relative `.py` paths and import roots start, absolute.
    ///   - printed: told the lines each task prints, while it runs.
    ///   - code: the run's code snapshot, already in the store.
    public init(environments: [StepEnvironment: PythonEnvironment], main: PythonEnvironment,
                store: String, specFolder: String, maxWorkers: Int, printed: PrintedLines? = nil, code: [CodeFileRef] = []) {
        pool = WorkerPool(capacity: maxWorkers)
        self.code = code
        self.environments = environments
        self.main = main
        self.store = store
        self.specFolder = specFolder
        self.printed = printed
        streamer = printed == nil ? nil : OutputStreamer()
    }

    public func shutDown() async {
        streamer?.stop()
        await pool.shutDown()
    }

    /// Why the run was stopped, once it was: the attempts its stop ended fail as `interrupted`.
    private let stopReason = Mutex<String?>(nil)

    /// The run tasks are of, once it is recorded (`began`): each task request carries it.
    private let taskRun = Mutex<TaskRun?>(nil)

    /// Tells every task from now on which run it is of (`flowspec.current` in the step): `run`
    /// of flow `flow`, resuming `origin` if it does.
    public func began(run: String, of flow: String, resuming origin: String?) {
        taskRun.withLock { $0 = TaskRun(flow: flow, id: run, origin: origin) }
    }

    /// Stops every running task now by killing its worker (and what the task started);
    /// `reason` is the message of the attempts this ends.
    public func stopWorkers(reason: String) async {
        stopReason.withLock { $0 = $0 ?? reason }
        await pool.killAll()
    }

    /// Stores param values, pickled, and returns where.
    public func put(_ values: [String: ParamInput]) async throws(TaskFailure) -> [String: ArtifactRef] {
        let sources = values.mapValues { input -> ParamSource in
            switch input {
            case .json(let value): .json(value)
            case .textFile(let path): .textFile(path)
            case .bytesFile(let path): .bytesFile(path)
            }
        }
        let response = try await ask(in: main) { .put(PutRequest(id: $0, store: store, values: sources)) }
        return response.outputs ?? [:]
    }

    public func store(_ values: [String: JSONValue]) async throws(TaskFailure) -> [String: ArtifactRef] {
        try await put(values.mapValues(ParamInput.json))
    }

    public func run(_ request: TaskRequest) async -> TaskResult {
        let message = { (id: Int) in WorkerRequest.task(self.message(for: request, id: id)) }
        let exchange = await exchange(in: environments[request.environment] ?? main, message,
                                      task: request.key, timeout: request.timeout, fresh: request.isolated)
        let printed = exchange.printed
        switch exchange.answer {
        case .success(let response):
            var result = TaskResult(outputs: response.outputs ?? [:], failure: response.error.map(Self.failure),
                                    stdout: printed.stdout, stderr: printed.stderr, seconds: response.seconds ?? 0,
                                    process: exchange.process)
            result.parameters = response.parameters
            return result
        case .failure(let failure):
            return TaskResult(failure: failure, stdout: printed.stdout, stderr: printed.stderr)
        }
    }

    public func fanOut(over value: ValueSource) async throws(TaskFailure) -> FanOut {
        let response = try await askAnywhere { .length(ValueRequest(id: $0, store: store, value: Self.ref(value), code: code)) }
        return FanOut(count: response.length ?? 0, items: response.items)
    }

    public func match(_ value: ValueSource, among cases: [JSONValue]) async throws(TaskFailure) -> Int? {
        try await askAnywhere { .match(MatchRequest(id: $0, store: store, value: Self.ref(value), cases: cases, code: code)) }.index
    }

    /// Checks that steps' functions exist and their parameters bind (the `check` request: the
    /// sources are read, nothing runs) in a worker of `environment`, which stays warm for tasks.
    public func check(_ steps: [CheckRequest.Step], in environment: PythonEnvironment) async throws(TaskFailure) -> [CheckFinding] {
        try await ask(in: environment) { .check(CheckRequest(id: $0, steps: steps)) }.findings ?? []
    }

    /// Asks the flow's environment first, then each other one: a value made in a step's own
    /// environment may need a package only that environment has to be unpickled.
    private func askAnywhere(_ build: (Int) -> WorkerRequest) async throws(TaskFailure) -> WorkerResponse {
        var firstFailure: TaskFailure?
        for environment in [main] + Set(environments.values).subtracting([main]).sorted(by: { $0.prefix < $1.prefix }) {
            do {
                return try await ask(in: environment, build)
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        throw firstFailure ?? TaskFailure(kind: .worker, message: "no environment to read the value in")
    }

    // MARK: - Talking to a worker

    /// Sends one request to a free worker and fails with the response's error.
    private func ask(in environment: PythonEnvironment, _ build: (Int) -> WorkerRequest) async throws(TaskFailure) -> WorkerResponse {
        let response = try await exchange(in: environment, build).answer.get()
        if let error = response.error { throw Self.failure(error) }
        return response
    }

    /// A response, or why there is none, what the request printed, and the worker it ran in.
    private struct Exchange {
        var answer: Result<WorkerResponse, TaskFailure>
        var printed = PrintedOutput()
        var process: AttemptProcess?
    }

    /// Sends one request to a free worker, or to one started for it alone when `fresh`; what
    /// `task` prints goes to `printed` as it comes. A worker that dies (or breaks the protocol)
    /// is a `lost` failure, `timeout` when its timeout killed it, `interrupted` when the run's
    /// stop did; it is replaced.
    private func exchange(in environment: PythonEnvironment, _ build: (Int) -> WorkerRequest,
                          task: TaskKey? = nil, timeout: Double? = nil, fresh: Bool = false) async -> Exchange {
        let worker: PooledWorker
        do {
            worker = try await pool.acquire(environment, fresh: fresh)
        } catch {
            return Exchange(answer: .failure(TaskFailure(kind: .worker, message: "could not start a worker: \(error)")))
        }
        let capture = worker.process.output
        if let task, let printed, let streamer {
            capture.begin(task, sink: printed)
            streamer.watch(capture)
        }
        // A timeout kills the worker: the only way to stop Python code that does not return.
        let expired = Expiry()
        let watchdog = timeout.map { seconds in
            Task {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                expired.flag.withLock { $0 = true }
                worker.process.terminate(signal: SIGKILL)
            }
        }
        let response: WorkerResponse
        do {
            response = try await worker.send(build(worker.nextRequestID()))
            watchdog?.cancel()
            streamer?.unwatch(capture)
        } catch {
            watchdog?.cancel()
            streamer?.unwatch(capture)
            let printed = if case let WorkerError.died(_, _, output, _) = error { output } else { capture.take() }
            await pool.discard(worker)
            let process = AttemptProcess(pid: worker.process.pid, exit: worker.process.exitStatus)
            let failure = if let reason = stopReason.withLock({ $0 }) {
                TaskFailure(kind: .interrupted, message: reason, process: process)
            } else if let timeout, expired.flag.withLock({ $0 }) {
                TaskFailure(kind: .timeout, message: "the attempt ran longer than its timeout of \(Self.seconds(timeout)) and was stopped",
                            process: process)
            } else {
                TaskFailure(kind: .lost, message: "\(error)", process: process)
            }
            return Exchange(answer: .failure(failure), printed: printed)
        }
        if fresh { await pool.finish(worker) } else { await pool.release(worker) }
        return Exchange(answer: .success(response), printed: response.printed, process: AttemptProcess(pid: worker.process.pid))
    }

    private func message(for request: TaskRequest, id: Int) -> WorkerTaskRequest {
        Self.message(for: request, id: id, store: store, specFolder: specFolder, code: code, run: taskRun.withLock { $0 })
    }

    /// The worker protocol's `task` request for `request`: what a worker here, or a job on a
    /// cluster, is sent.
    public static func message(for request: TaskRequest, id: Int, store: String, specFolder: String,
                               code: [CodeFileRef], run: TaskRun?) -> WorkerTaskRequest {
        let absolute = { (path: String) in UserPath.absolute(path, from: specFolder) }
        let function = FunctionRef(request.target, resolvingPath: absolute)
        return WorkerTaskRequest(
            id: id, store: store, step: request.key.step, task: request.name, function: function,
            path: request.importRoots.map(absolute) + [specFolder], env: request.env,
            bound: request.bound.mapValues(Self.ref), available: request.available.mapValues(Self.ref),
            outputs: Self.outputs(request.outputs), code: code, run: run,
            attempt: request.attempt, index: request.key.path.last)
    }

    /// The protocol's value for `source`.
    public static func ref(_ source: ValueSource) -> ValueRef {
        switch source {
        case .artifact(let artifact, let path):
            .blob(artifact.blob, path: path.map { accessor in
                switch accessor {
                case .attribute(let name): .attr(name)
                case .index(let index): .index(index)
                case .key(let key): .key(key)
                }
            })
        case .literal(let value): .literal(value)
        case .list(let items): .list(items.map(ref))
        case .namespaces(let branches, let steps): .namespaces(branches.map { $0.mapValues(ref) }, steps: steps)
        }
    }

    /// The source `ref` names: the inverse of `ref(_:)`. An artifact is known by its blob only.
    public static func source(_ ref: ValueRef) -> ValueSource {
        switch ref {
        case .blob(let hash, let path):
            .artifact(ArtifactRef(blob: hash, size: 0, type: "", repr: ""), path: path.map { step in
                switch step {
                case .attr(let name): .attribute(name)
                case .index(let index): .index(index)
                case .key(let key): .key(key)
                }
            })
        case .literal(let value): .literal(value)
        case .list(let items): .list(items.map(source))
        case .namespaces(let branches, let steps): .namespaces(branches.map { $0.mapValues(source) }, steps: steps)
        }
    }

    static func outputs(_ shape: OutputShape) -> OutputsSpec {
        switch shape {
        case .single(let name): OutputsSpec(kind: .single, names: [name])
        case .unpacked(let names): OutputsSpec(kind: .unpacked, names: names)
        case .mapping: OutputsSpec(kind: .mapping, names: [])
        case .stepName(let name): OutputsSpec(kind: .default, names: [name])
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    /// The failure a worker's `failed` response reports.
    public static func failure(_ error: WorkerFailure) -> TaskFailure {
        TaskFailure(kind: FailureKind(error.kind), type: error.type, message: error.message, traceback: error.traceback)
    }
}

/// Set by a timeout's watchdog just before it kills the worker, so the failure can say why.
private final class Expiry: Sendable {
    let flag = Mutex(false)
}
