import FlowBasics

/// Told about every task as it starts and ends: where the store records and progress displays hook in.
/// Called from the scheduler's own task, one call at a time.
public protocol RunObserver: AnyObject {
    /// The task's inputs are ready; it waits for a free worker and room for its resources.
    func taskQueued(_ key: TaskKey)
    /// An attempt of the task goes to a worker (`attempt` counts from 1); `parents` are the
    /// tasks whose ends made it ready (empty for a retry).
    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int)
    func taskFinished(_ key: TaskKey, _ result: TaskResult)
    /// The task was taken from an earlier one (the cache, `resume`) instead of running.
    func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity)
    /// The task will run, and why (told once, before its first attempt starts).
    func taskRuns(_ key: TaskKey, because cause: RunCause)
    /// The task failed for good, but its step `catch`es: these artifacts (the error, and None
    /// for each output) stand for it, and the run goes on.
    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef])
    /// The task's `CacheKey`, told once: before its first attempt starts when its function's
    /// parameters are known by then, else just before the attempt that reported them ends.
    func taskKeyed(_ key: TaskKey, _ identity: TaskIdentity)
    /// A task of a foreach step was queued to process `item` (what its `item` names): told
    /// once, before it starts or is reused.
    func taskItem(_ key: TaskKey, _ item: ValueSource)
}

extension RunObserver {
    public func taskKeyed(_ key: TaskKey, _ identity: TaskIdentity) {}
    public func taskRuns(_ key: TaskKey, because cause: RunCause) {}
    public func taskItem(_ key: TaskKey, _ item: ValueSource) {}
}

/// How a run ended.
public struct RunOutcome: Sendable {
    public enum Status: String, Sendable {
        case completed, failed, interrupted
    }

    public let status: Status
    /// Every task that failed, with why.
    public let failures: [(key: TaskKey, failure: TaskFailure)]
    /// The artifacts as the last step saw them, with its own outputs (empty when it never ran).
    public let finalArtifacts: [String: ValueSource]
    public let tasksRun: Int
}
