import FlowBasics
import FlowRuntime
import FlowStore
import LocalExecution

/// How a `FlowRun` ended.
public enum FlowRunOutcome: Sendable {
    /// Nothing ran, and nothing was stored.
    case notStarted(NotStarted)
    /// The run could not be carried out or recorded (a store error, params that could not be
    /// stored): why.
    case failed(String)
    /// The scheduler ran the plan to an end (completed, failed or interrupted), and the store
    /// recorded it.
    case finished(FinishedRun)
}

/// Why a run did not start.
public enum NotStarted: Hashable, Sendable {
    /// The flow's own environment has no interpreter.
    case noInterpreter
    /// The steps' Python could not be checked at all (no worker could be asked): why.
    case checkUnavailable(String)
    /// The check of the steps' Python found errors (`FlowRunEvents.checked` was told them): how many.
    case checkFailed(errors: Int)
}

/// A run the scheduler ran to its end.
public struct FinishedRun: Sendable {
    public let run: RunID
    public let outcome: RunOutcome
    /// From the start of `execute` until its workers were stopped.
    public let seconds: Double
}

/// What a run tells whoever started it as it goes: the check's findings, that it is recorded,
/// each task (as its `RunObserver`), what tasks print, and that its tasks are over. Each method
/// does nothing unless implemented. `printed` is called from the executor's threads, the rest
/// from the run's own task.
public protocol FlowRunEvents: RunObserver, Sendable {
    /// The check of the steps' Python found these (errors and warnings, sorted), before anything
    /// was stored; not called when the check is off or could not be made.
    func checked(_ diagnostics: [Diagnostic])
    /// The run is recorded as `run`, its params stored; no task has started.
    func began(_ run: RunID)
    /// Whether `printed` is wanted: otherwise the executor need not stream what tasks print (it
    /// is stored either way).
    var wantsOutput: Bool { get }
    /// Lines a running task printed.
    func printed(_ key: TaskKey, _ stream: PrintedStream, _ text: String)
    /// The scheduler is done; the run's end is not recorded yet.
    func tasksEnded()
    /// A started task's job waits in a cluster's queue (`pending`), or has left it for a node.
    func taskPending(_ key: TaskKey, _ pending: Bool)
}

extension FlowRunEvents {
    public func checked(_ diagnostics: [Diagnostic]) {}
    public func began(_ run: RunID) {}
    public var wantsOutput: Bool { false }
    public func printed(_ key: TaskKey, _ stream: PrintedStream, _ text: String) {}
    public func tasksEnded() {}
    public func taskPending(_ key: TaskKey, _ pending: Bool) {}
    public func taskQueued(_ key: TaskKey) {}
    public func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) {}
    public func taskFinished(_ key: TaskKey, _ result: TaskResult) {}
    public func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {}
    public func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {}
}

/// Events nobody listens to.
public final class UnheardEvents: FlowRunEvents {
    public init() {}
}
