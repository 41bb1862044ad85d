import FlowRuntime
import FlowStore

/// Writes each task's start and end to the store as the scheduler reports them, so a run
/// killed at any moment leaves a record of everything that finished.
final class RunRecorder: RunObserver {
    private let store: StoreWriter
    private let run: RunID
    private var attempts: [TaskKey: AttemptKey] = [:]
    /// Every task recorded so far, so a child can name its parents.
    private var tasks: [TaskKey: TaskID] = [:]
    private var lastHeartbeat = ContinuousClock.now
    /// The first store error, reported when the run ends; the run itself goes on.
    private(set) var problem: (any Error)?

    /// For a resumed run: the earlier run's task behind each task that may be reused.
    private let origins: [TaskKey: TaskID]

    init(store: StoreWriter, run: RunID, origins: [TaskKey: TaskID] = [:]) {
        self.store = store
        self.run = run
        self.origins = origins
    }

    func taskQueued(_ key: TaskKey) {}

    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt number: Int) {
        attempt {
            if number > 1, let task = tasks[key] {
                attempts[key] = try store.startAttempt(task)
                return
            }
            let started = try store.startTask(run: run, step: key.step, index: key.path, iteration: key.iteration,
                                              parents: parents.compactMap { tasks[$0] })
            attempts[key] = started
            tasks[key] = started.task
        }
    }

    func taskFinished(_ key: TaskKey, _ result: TaskResult) {
        guard let attempt = attempts.removeValue(forKey: key) else { return }
        let outcome: AttemptOutcome = if let failure = result.failure {
            .failed(AttemptError(kind: failure.kind, type: failure.type, message: failure.message, traceback: failure.traceback),
                    stdout: result.stdout, stderr: result.stderr)
        } else {
            .completed(result.outputs, seconds: result.seconds,
                       stdout: result.stdout, stderr: result.stderr)
        }
        self.attempt { try store.finishAttempt(attempt, outcome) }
        // Readers on other hosts take a run whose heartbeat is stale for an interrupted one.
        if ContinuousClock.now - lastHeartbeat > .seconds(10) {
            lastHeartbeat = .now
            self.attempt { try store.heartbeat(run) }
        }
    }

    func taskReused(_ key: TaskKey, parents: [TaskKey]) {
        guard let origin = origins[key] else { return }
        attempt {
            tasks[key] = try store.reuseTask(run: run, step: key.step, index: key.path, iteration: key.iteration,
                                             parents: parents.compactMap { tasks[$0] }, origin: origin)
        }
    }

    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {
        guard let task = tasks[key] else { return }
        attempt { try store.recordCaught(task, artifacts: outputs) }
    }

    private func attempt(_ body: () throws -> Void) {
        do { try body() } catch { problem = problem ?? error }
    }
}
