import Dispatch
import struct FlowBasics.ArtifactRef
import FlowRuntime
import FlowStore
import LocalExecution
import Synchronization

/// Writes each task's start and end to the store as the scheduler reports them, on a thread of
/// its own, so the scheduler never waits for SQLite. Records are group-committed: those that
/// queue up while one is written share its transaction, which is committed as soon as the
/// queue is empty (or has been open for `maxBatch`). A run killed at any moment leaves a record
/// of everything that finished but the last few milliseconds.
///
/// It also says in the store that the run is alive, every `heartbeatInterval`, on a timer of
/// its own: readers on other hosts take a run whose heartbeat is stale for an interrupted one
/// (`specs/store-format.md`), and a run whose tasks all take minutes reports nothing for minutes.
///
/// Its state is touched only on `queue` (the timer fires there too); the scheduler only enqueues.
public final class RunRecorder: RunObserver, @unchecked Sendable {
    private let queue = DispatchQueue(label: "flowspec.recorder")
    private let pending = Atomic<Int>(0)
    private var batchOpened: ContinuousClock.Instant?
    private static let maxBatch = Duration.milliseconds(100)
    private let store: StoreWriter
    private let run: RunID
    private var attempts: [TaskKey: AttemptKey] = [:]
    /// The key each task was told, until its reason is written.
    private var identities: [TaskKey: TaskIdentity] = [:]
    /// Why each task runs, as the scheduler said, until its reason is written.
    private var causes: [TaskKey: RunCause] = [:]
    /// Tasks whose reason is written.
    private var explained: Set<TaskKey> = []
    /// Steps whose function's parameters this run has recorded.
    private var parametersRecorded: Set<String> = []
    private let reasons: ReasonFinder?
    /// For `reasons`, opened on first use on `queue`.
    private lazy var reader: StoreReader? = reasons.flatMap { try? StoreReader(path: $0.store) }
    /// Every task recorded so far, so a child can name its parents.
    private var tasks: [TaskKey: TaskID] = [:]
    /// The item of each foreach task not recorded yet, as the worker protocol writes a value.
    private var items: [TaskKey: String] = [:]
    private let heartbeat: DispatchSourceTimer
    /// The first store error, reported when the run ends; the run itself goes on.
    private var problem: (any Error)?

    /// How often the run's heartbeat is written while it runs: well within the two
    /// minutes after which readers on other hosts give a run up.
    public static let heartbeatInterval = Duration.seconds(10)

    /// `reasons` says why tasks ran; without it, no task records a reason.
    public convenience init(store: StoreWriter, run: RunID, heartbeatInterval: Duration = heartbeatInterval) {
        self.init(store: store, run: run, reasons: nil, heartbeatInterval: heartbeatInterval)
    }

    init(store: StoreWriter, run: RunID, reasons: ReasonFinder?, heartbeatInterval: Duration = heartbeatInterval) {
        self.store = store
        self.run = run
        self.reasons = reasons
        heartbeat = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.nanoseconds(Int(heartbeatInterval / .nanoseconds(1)))
        heartbeat.schedule(deadline: .now() + interval, repeating: interval)
        heartbeat.setEventHandler { [weak self] in self?.beat() }
        heartbeat.resume()
    }

    deinit { heartbeat.cancel() }

    public func taskQueued(_ key: TaskKey) {}

    public func taskItem(_ key: TaskKey, _ item: ValueSource) {
        queue.async { [self] in items[key] = LocalExecutor.ref(item).jsonText }
    }

    /// Stops the heartbeat and waits until every record is written and committed; the first
    /// store error, if any. Cancelled on its own queue, the timer cannot fire after this.
    public func finish() -> (any Error)? {
        queue.sync {
            heartbeat.cancel()
            return problem
        }
    }

    public func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt number: Int) {
        record { [self] in
            if number > 1, let task = tasks[key] {
                attempts[key] = try store.startAttempt(task)
                return
            }
            let started = try store.startTask(run: run, step: key.step, index: key.path, iteration: key.iteration,
                                              parents: parents.compactMap { tasks[$0] }, item: items.removeValue(forKey: key))
            attempts[key] = started
            tasks[key] = started.task
        }
    }

    public func taskKeyed(_ key: TaskKey, _ identity: TaskIdentity) {
        record { [self] in
            identities[key] = identity
            if parametersRecorded.insert(key.step).inserted {
                try store.recordStepParameters(run: run, step: key.step, parameters: identity.parameters)
            }
        }
    }

    public func taskRuns(_ key: TaskKey, because cause: RunCause) {
        record { [self] in causes[key] = cause }
    }

    public func taskFinished(_ key: TaskKey, _ result: TaskResult) {
        record { [self] in finished(key, result) }
    }

    private func finished(_ key: TaskKey, _ result: TaskResult) {
        guard let attempt = attempts.removeValue(forKey: key) else { return }
        explain(key, attempt.task)
        var outcome: AttemptOutcome = if let failure = result.failure {
            .failed(AttemptError(kind: failure.kind.rawValue, type: failure.type, message: failure.message, traceback: failure.traceback),
                    stdout: result.stdout, stderr: result.stderr)
        } else {
            .completed(result.outputs, seconds: result.seconds,
                       stdout: result.stdout, stderr: result.stderr)
        }
        outcome.workerPID = result.process?.pid
        outcome.job = result.job.map { AttemptJobRecord(id: $0.id, node: $0.node, state: $0.state) }
        switch result.process?.exit {
        case .exited(let status)?: outcome.exitStatus = Int(status)
        case .signaled(let signal)?: outcome.signal = Int(signal)
        case nil: break
        }
        self.attempt { try store.finishAttempt(attempt, outcome) }
    }

    /// On `queue`: inside the open batch, if one is open, else in a transaction of its own.
    private func beat() {
        attempt { try store.heartbeat(run) }
    }

    public func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {
        record { [self] in
            let task = try store.reuseTask(run: run, step: key.step, index: key.path, iteration: key.iteration,
                                           parents: parents.compactMap { tasks[$0] }, item: items.removeValue(forKey: key),
                                           origin: TaskID(origin.origin))
            tasks[key] = task
            try store.recordTaskIdentity(task, key: identity.key, inputs: TaskInputs.text(identity.inputs),
                                         reason: TaskReason.reused(from: origin.originPath).record)
        }
    }

    /// Writes the task's key and why it ran, once: at the end of its first attempt, when its
    /// key is known (the scheduler tells a late key before that end).
    private func explain(_ key: TaskKey, _ task: TaskID) {
        guard !explained.contains(key) else { return }
        explained.insert(key)
        let identity = identities.removeValue(forKey: key)
        let reason = reasons?.reason(for: key, cause: causes.removeValue(forKey: key), identity: identity, reader: reader)
        guard identity != nil || reason != nil else { return }
        attempt {
            try store.recordTaskIdentity(task, key: identity?.key, inputs: identity.map { TaskInputs.text($0.inputs) }, reason: reason?.record)
        }
    }

    public func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {
        record { [self] in
            guard let task = tasks[key] else { return }
            try store.recordCaught(task, artifacts: outputs)
        }
    }

    /// Runs `body` on the recorder's queue inside the open batch, and commits the batch when
    /// nothing else waits, or when it has been open too long for other writers of the store.
    private func record(_ body: @escaping @Sendable () throws -> Void) {
        pending.add(1, ordering: .relaxed)
        queue.async { [self] in
            if batchOpened == nil {
                attempt { try store.holdTransaction() }
                batchOpened = .now
            }
            attempt(body)
            let others = pending.subtract(1, ordering: .acquiringAndReleasing).newValue
            if others == 0 || ContinuousClock.now - batchOpened! > Self.maxBatch {
                attempt { try store.commitHeld() }
                batchOpened = nil
            }
        }
    }

    private func attempt(_ body: () throws -> Void) {
        do { try body() } catch { problem = problem ?? error }
    }
}
