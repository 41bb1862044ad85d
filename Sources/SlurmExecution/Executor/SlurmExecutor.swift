import Dispatch
import FlowBasics
import FlowRuntime
import Glibc
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the Slurm executor needs of the side that speaks the worker protocol: a task's request
/// as the job reads it, and the job's result read back.
public protocol TaskJobCodec: Sendable {
    /// The worker protocol's `task` request for `task`, and the variables the job's command
    /// needs (the step's interpreter).
    func request(for task: TaskRequest) -> (payload: [UInt8], env: [String: String])
    /// The task's outputs or failure, from the response the job wrote.
    func result(of payload: [UInt8]) throws -> TaskResult
}

/// Where the executor's jobs go and what they run.
public struct SlurmExecutorSetup: Sendable {
    public var client: SlurmClient
    /// The store's folder, absolute: its `jobs/RUN/` holds each job's files.
    public var store: String
    /// The `flowspec` the jobs run, as the nodes see it.
    public var flowspec: String
    /// The folder jobs start in (`--chdir`).
    public var workingDirectory: String
    /// Each step's `slurm` settings (the command line's over the spec's).
    public var options: [String: SlurmOptions]
    /// Seconds between two `squeue` calls.
    public var pollInterval: Double
    /// Told when a task's job is seen waiting in the queue, and when it is seen placed.
    public var pending: (@Sendable (TaskKey, Bool) -> Void)?

    public init(client: SlurmClient, store: String, flowspec: String, workingDirectory: String,
                options: [String: SlurmOptions], pollInterval: Double = 0.2) {
        self.client = client
        self.store = store
        self.flowspec = flowspec
        self.workingDirectory = workingDirectory
        self.options = options
        self.pollInterval = pollInterval
    }
}

/// Runs each task as one Slurm job: the request is written to a file in the store, the job runs
/// `flowspec task-job FILE` on a node (a worker in the step's environment that reads its inputs
/// from the store's blobs, writes its outputs there and its response beside the request), and
/// the scheduler reads the response once Slurm says the job ended. All the run's jobs are read
/// with one `squeue` call per poll (`JobWatch`). A job's end that is not a response —
/// cancelled, past its time limit, out of memory, refused, never runnable — is a failed attempt
/// naming the job, its state and Slurm's reason.
public final class SlurmExecutor: Sendable {
    private let setup: SlurmExecutorSetup
    private let codec: any TaskJobCodec
    private let watch: JobWatch
    private let runID = Mutex<String?>(nil)
    private let stopReason = Mutex<String?>(nil)
    /// The storage checks made, by the interpreter they checked ("" for none).
    private let storageChecks = Mutex<[String: Task<String?, Never>]>([:])
    /// The steps with `slurm.pilots`, their crews once their first task came, and the socket
    /// their pilots connect to.
    private let pilotSizes: [String: Int]
    private let pilots = Mutex<(hub: PilotHub?, crews: [String: PilotCrew])>((nil, [:]))

    public init(_ setup: SlurmExecutorSetup, codec: any TaskJobCodec) {
        self.setup = setup
        self.codec = codec
        watch = JobWatch(client: setup.client, interval: setup.pollInterval)
        pilotSizes = setup.options.compactMapValues(\.pilots)
    }

    /// The steps whose pilots end when the step can have no further task.
    public var pilotSteps: Set<String> { Set(pilotSizes.keys) }

    /// `step` can have no further task: its pilots end.
    public func noMoreTasks(of step: String) {
        pilots.withLock { $0.crews[step] }?.drain()
    }

    /// Names the run whose tasks come from now on: their files go to `jobs/RUN/`.
    public func began(run: String) {
        runID.withLock { $0 = run }
    }

    /// Cancels the jobs of `run`'s `steps` still queued or running: a run being resumed whose
    /// scheduler was killed left them, and nothing will read what they make. Best effort.
    public func cancelLeftovers(of run: String, steps: Set<String>) async {
        let names = steps.sorted().map { Self.jobName(run: run, step: $0) }
        await Self.offThread {
            if let jobs = try? self.setup.client.liveJobs(named: names), !jobs.isEmpty { try? self.setup.client.cancel(jobs) }
        }
    }

    /// `flowspec-RUN-STEP`: what squeue shows, and how a resume finds a killed run's jobs.
    static func jobName(run: String, step: String) -> String { "flowspec-\(run)-\(step)" }

    /// Cancels every job of the run (one `scancel`); their attempts fail as `interrupted` with `reason`.
    public func stop(reason: String) async {
        stopReason.withLock { $0 = $0 ?? reason }
        for crew in pilots.withLock({ Array($0.crews.values) }) { crew.stop(reason: reason) }
        await Self.offThread { self.watch.stopAll() }
    }

    /// Cancels what is left of the run's jobs and waits until none is watched (at most 10 s),
    /// then removes the run's job folder.
    public func shutDown() async {
        let hub = pilots.withLock { pilots in
            for crew in pilots.crews.values { crew.drain() }
            return pilots.hub
        }
        hub?.close()
        for _ in 0..<50 where !watch.jobs.isEmpty { try? await Task.sleep(nanoseconds: 100_000_000) }  // pilots told to end
        guard !watch.jobs.isEmpty else { return removeFolder() }
        await stop(reason: "the run ended while this attempt ran")
        for _ in 0..<100 where !watch.jobs.isEmpty { try? await Task.sleep(nanoseconds: 100_000_000) }
        removeFolder()
    }

    private func removeFolder() {
        guard let run = runID.withLock({ $0 }) else { return }
        try? FileManager.default.removeItem(atPath: "\(setup.store)/jobs/\(run)")
        rmdir("\(setup.store)/jobs")  // only when no other run's jobs are there
    }

    public func run(_ request: TaskRequest) async -> TaskResult {
        if let reason = stopReason.withLock({ $0 }) { return Self.failed(.interrupted, reason) }
        let (payload, env) = codec.request(for: request)
        if let problem = await storageProblem(for: request.key.step, interpreter: env["FLOWSPEC_PYTHON_EXECUTABLE"]) {
            return Self.failed(.worker, problem)
        }
        if let size = pilotSizes[request.key.step], !request.isolated {
            switch crew(for: request.key.step, size: size) {
            case let .success(crew): return await crew.run(request, payload: payload, env: env)
            case let .failure(problem): return Self.failed(.worker, problem.description)
            }
        }
        let files: JobFiles
        do { files = try write(payload, of: request) } catch {
            return Self.failed(.worker, "cannot write the Slurm job's request: \(error)")
        }
        defer { files.remove() }
        if let reason = stopReason.withLock({ $0 }) { return Self.failed(.interrupted, reason) }
        let job = jobRequest(for: request, env: env, files)
        let submitted = await Self.offThread { Result { () throws(SubmitError) in try self.setup.client.submit(job) } }
        switch submitted {
        case let .failure(.refused(failure)): return Self.failed(.worker, failure.description)
        case let .failure(.slurm(error)): return Self.failed(.worker, "could not submit the Slurm job: \(error)")
        case let .success(id):
            let end = await watch.wait(for: id, timeout: request.timeout, pending: pendingNotice(for: request.key))
            return result(of: end, job: id, files, timeout: request.timeout)
        }
    }

    /// What tells `setup.pending` of `key`'s job, if anything listens.
    private func pendingNotice(for key: TaskKey) -> (@Sendable (Bool) -> Void)? {
        guard let pending = setup.pending else { return nil }
        return { queued in pending(key, queued) }
    }

    // MARK: - The job

    private func write(_ payload: [UInt8], of request: TaskRequest) throws -> JobFiles {
        let run = runID.withLock { $0 } ?? "unrecorded"
        let folder = "\(setup.store)/jobs/\(run)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = JobFiles(base: "\(folder)/\(JobFiles.name(of: request))")
        try Data(payload).write(to: URL(fileURLWithPath: files.request), options: .atomic)
        return files
    }

    private func jobRequest(for request: TaskRequest, env: [String: String], _ files: JobFiles) -> JobRequest {
        let env = env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let needs = request.needs
        let run = runID.withLock { $0 } ?? ""
        return JobRequest(command: ["/usr/bin/env"] + env + [setup.flowspec, "task-job", files.request],
                          name: Self.jobName(run: run, step: request.key.step),
                          resources: JobResources(cpu: needs.cpu, memory: needs.memory, gpu: needs.gpu, timeout: request.timeout),
                          options: setup.options[request.key.step] ?? SlurmOptions(), output: files.out, error: files.err,
                          workingDirectory: setup.workingDirectory)
    }

    /// What the job's end comes to as an attempt.
    private func result(of end: JobEnd, job id: JobID, _ files: JobFiles, timeout: Double?) -> TaskResult {
        var result: TaskResult
        var status: JobStatus?
        switch end {
        case let .settled(last):
            status = last
            result = settled(last, files)
        case let .vanished(last):
            status = last
            result = files.hasResult ? read(files, job: id)
                : Self.failed(.lost, "Slurm job \(id) is no longer known to the controller and left no result")
        case let .expired(last):
            status = last
            let limit = timeout.map(Self.seconds) ?? "?"
            result = Self.failed(.timeout, "the attempt ran longer than its timeout of \(limit) and was stopped (Slurm job \(id) cancelled)")
        case let .stopped(last):
            status = last
            result = Self.failed(.interrupted, stopReason.withLock { $0 } ?? "the run was stopped while this attempt ran")
        case let .unknown(error):
            try? setup.client.cancel([id])
            result = Self.failed(.lost, "could not ask Slurm about job \(id): \(error)")
        }
        result.stdout = files.text(files.out)
        result.stderr = files.text(files.err)
        result.job = AttemptJob(id: id.description, node: status?.nodes, state: status?.state.rawValue)
        return result
    }

    private func settled(_ status: JobStatus, _ files: JobFiles) -> TaskResult {
        switch JobOutcome(status, errorOutput: files.text(files.err)) {
        case .succeeded: read(files, job: status.id)
        case let .failed(failure): Self.failed(Self.kind(of: failure.kind), failure.description)
        case .queued, .running: Self.failed(.lost, "Slurm job \(status.id) ended the watch while \(status.state)")
        }
    }

    private func read(_ files: JobFiles, job: JobID) -> TaskResult {
        guard let payload = FileManager.default.contents(atPath: files.result) else {
            return Self.failed(.lost, "Slurm job \(job) ended without writing its result '\(files.result)'")
        }
        do { return try codec.result(of: Array(payload)) } catch {
            return Self.failed(.lost, "Slurm job \(job) wrote a result flowspec cannot read: \(error)")
        }
    }

    /// Failures Slurm caused are retried as a lost worker is; a refusal or a job that can never
    /// start as a worker that could not start.
    static func kind(of kind: JobFailure.Kind) -> FailureKind {
        switch kind {
        case .timedOut: .timeout
        case .refused, .neverRunnable: .worker
        case .exited, .signaled, .cancelled, .outOfMemory, .nodeFailed, .preempted, .vanished, .other: .lost
        }
    }

    // MARK: - Pilots

    /// The crew of `step`'s pilots, started with the run's pilot socket and secret when it is
    /// the first; or why there can be none.
    private func crew(for step: String, size: Int) -> Result<PilotCrew, PilotSocketError> {
        pilots.withLock { pilots -> Result<PilotCrew, PilotSocketError> in
            if let crew = pilots.crews[step] { return .success(crew) }
            if pilots.hub == nil {
                do {
                    let hub = try PilotHub { [weak self] connection, hello in self?.attach(connection, hello) }
                    try writeSecret(hub.secret)
                    pilots.hub = hub
                } catch {
                    return .failure(.failed("cannot start the socket Slurm pilots connect to: \(error)"))
                }
            }
            let crew = PilotCrew(step: step, size: size, launch: pilotLaunch(to: pilots.hub!))
            pilots.crews[step] = crew
            return .success(crew)
        }
    }

    private func attach(_ connection: PilotSocket, _ hello: PilotHello) {
        guard let crew = pilots.withLock({ $0.crews[hello.step] }) else { return connection.close() }
        crew.attach(connection, hello)
    }

    /// `jobs/RUN/pilots.secret`, readable by the user alone: pilots read it, no command line shows it.
    private var secretFile: String { "\(setup.store)/jobs/\(runID.withLock { $0 } ?? "unrecorded")/pilots.secret" }

    private func writeSecret(_ secret: String) throws {
        let path = secretFile
        try FileManager.default.createDirectory(atPath: UserPath.parent(of: path), withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PilotSocketError.failed("cannot write '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.write(fd, secret, secret.utf8.count) == secret.utf8.count else {
            throw PilotSocketError.failed("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    private func pilotLaunch(to hub: PilotHub) -> PilotCrew.Launch {
        PilotCrew.Launch(
            submit: { [self] request, env in submitPilot(for: request, env: env, hub: hub) },
            watch: watch,
            cancel: { [setup] jobs in try? setup.client.cancel(jobs) },
            result: { [codec] payload in try codec.result(of: payload) },
            pending: pendingNotice)
    }

    private var pendingNotice: (@Sendable (TaskKey, Bool) -> Void)? { setup.pending }

    private func submitPilot(for request: TaskRequest, env: [String: String], hub: PilotHub) -> Result<PilotCrew.SubmittedPilot, SubmitError> {
        let step = request.key.step
        let folder = "\(setup.store)/jobs/\(runID.withLock { $0 } ?? "unrecorded")"
        let variables = env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let needs = request.needs
        let job = JobRequest(
            command: ["/usr/bin/env"] + variables + [setup.flowspec, "pilot-job", "--connect", "\(hub.host):\(hub.port)",
                                                     "--secret-file", secretFile, "--step", step],
            name: Self.jobName(run: runID.withLock { $0 } ?? "", step: step),
            resources: JobResources(cpu: needs.cpu, memory: needs.memory, gpu: needs.gpu),
            options: setup.options[step] ?? SlurmOptions(), output: "\(folder)/pilot.\(step).%j.out",
            error: "\(folder)/pilot.\(step).%j.err", workingDirectory: setup.workingDirectory)
        return Result { () throws(SubmitError) in try setup.client.submit(job) }
            .map { PilotCrew.SubmittedPilot(id: $0, errorFile: "\(folder)/pilot.\(step).\($0).err") }
    }

    // MARK: - Shared storage

    /// Why jobs of `step` cannot use the store, or cannot run `flowspec` or the step's
    /// `interpreter`: checked once per run and interpreter, with one small job in the step's
    /// partition (its `extra` arguments left out: they are the task's, a dependency say).
    private func storageProblem(for step: String, interpreter: String?) async -> String? {
        let check = storageChecks.withLock { checks -> Task<String?, Never> in
            if let check = checks[interpreter ?? ""] { return check }
            let started = Task { [setup] in
                await Self.offThread { () -> String? in
                    var options = setup.options[step] ?? SlurmOptions()
                    options.extra = []
                    let checker = SharedStorageCheck(client: setup.client, options: options)
                    let programs = [setup.flowspec] + (interpreter.map { [$0] } ?? [])
                    switch Result(catching: { () throws(StorageCheckError) in try checker.check(setup.store, programs: programs) }) {
                    case .success(.visible): return nil
                    case let .success(.notVisible(why)):
                        return "the cluster cannot use this run's files: \(why); put the store (--store), flowspec and "
                            + "the step's Python environment on a filesystem the nodes mount, at the same paths"
                    case let .failure(error): return "could not check that the cluster sees the store: \(error)"
                    }
                }
            }
            checks[interpreter ?? ""] = started
            return started
        }
        return await check.value
    }

    // MARK: - Helpers

    static func failed(_ kind: FailureKind, _ message: String) -> TaskResult {
        TaskResult(failure: TaskFailure(kind: kind, message: message))
    }

    /// `3s`, `0.5s`: a timeout as failures name it.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    /// Runs a blocking Slurm command on a thread of its own, off the async pool.
    static func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}

/// One attempt's files in `jobs/RUN/`: the request the job reads, the result it writes, and
/// what it prints.
struct JobFiles: Sendable {
    let base: String
    var request: String { base + ".request" }
    var result: String { base + ".result" }
    var out: String { base + ".out" }
    var err: String { base + ".err" }

    /// `train.3.p0.a1`: step, position in each foreach, loop pass, attempt.
    static func name(of request: TaskRequest) -> String {
        ([request.key.step] + request.key.path.map(String.init) + ["p\(request.key.iteration)", "a\(request.attempt)"])
            .joined(separator: ".")
    }

    var hasResult: Bool { access(result, F_OK) == 0 }

    func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func remove() {
        for path in [request, result, out, err] { unlink(path) }
    }
}
