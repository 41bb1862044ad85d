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
    /// The key each task was told, until its row is written.
    private var cacheKeys: [TaskKey: String] = [:]
    /// Every task recorded so far, so a child can name its parents.
    private var tasks: [TaskKey: TaskID] = [:]
    /// The item of each foreach task not recorded yet, as the worker protocol writes a value.
    private var items: [TaskKey: String] = [:]
    private let heartbeat: DispatchSourceTimer
    /// The first store error, reported when the run ends; the run itself goes on.
    private var problem: (any Error)?

    /// For a resumed run: the earlier run's task behind each task that may be reused.
    private let origins: [TaskKey: TaskID]

    /// How often the run's heartbeat is written while it runs: well within the two
    /// minutes after which readers on other hosts give a run up.
    public static let heartbeatInterval = Duration.seconds(10)

    public init(store: StoreWriter, run: RunID, origins: [TaskKey: TaskID] = [:], heartbeatInterval: Duration = heartbeatInterval) {
        self.store = store
        self.run = run
        self.origins = origins
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
                                              parents: parents.compactMap { tasks[$0] }, item: items.removeValue(forKey: key),
                                              cacheKey: cacheKeys.removeValue(forKey: key))
            attempts[key] = started
            tasks[key] = started.task
        }
    }

    public func taskKeyed(_ key: TaskKey, cacheKey: String) {
        record { [self] in cacheKeys[key] = cacheKey }
    }

    public func taskFinished(_ key: TaskKey, _ result: TaskResult) {
        record { [self] in finished(key, result) }
    }

    private func finished(_ key: TaskKey, _ result: TaskResult) {
        guard let attempt = attempts.removeValue(forKey: key) else { return }
        var outcome: AttemptOutcome = if let failure = result.failure {
            .failed(AttemptError(kind: failure.kind.rawValue, type: failure.type, message: failure.message, traceback: failure.traceback),
                    stdout: result.stdout, stderr: result.stderr)
        } else {
            .completed(result.outputs, seconds: result.seconds,
                       stdout: result.stdout, stderr: result.stderr)
        }
        outcome.workerPID = result.process?.pid
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

    public func taskReused(_ key: TaskKey, parents: [TaskKey]) {
        guard let origin = origins[key] else { return }
        record { [self] in
            tasks[key] = try store.reuseTask(run: run, step: key.step, index: key.path, iteration: key.iteration,
                                             parents: parents.compactMap { tasks[$0] }, item: items.removeValue(forKey: key), origin: origin)
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
