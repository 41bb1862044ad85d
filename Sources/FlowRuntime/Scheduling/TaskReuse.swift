import FlowBasics

/// Where a task may be taken from instead of running it (the cache, `resume`), asked by the
/// scheduler for every task of a step with a `run`, before it waits for a worker: a task it
/// takes costs no worker round trip. Asked from the scheduler's own task, one call at a time.
public protocol TaskReuse: Sendable {
    /// What a worker reported `step`'s function takes by name, in an earlier run of the same
    /// fingerprint; nil when no earlier task says, and the key waits for the task's own answer.
    func parameters(of step: String) -> [String]?
    /// Whether the task is taken (its identity is nil when its parameters are not known yet);
    /// `parents` are the tasks whose ends made it ready.
    func verdict(for key: TaskKey, identity: TaskIdentity?, parents: [TaskKey]) -> ReuseVerdict
}

/// What becomes of one task.
public enum ReuseVerdict: Sendable {
    case reuse(ReusedTask)
    case run(RunCause)
}

/// A task taken from an earlier one: that task and what it produced.
public struct ReusedTask: Sendable {
    /// The earlier task's row in the store.
    public let origin: Int64
    /// `FLOW/ID/STEP/TASK`, for the reason.
    public let originPath: String
    public let outputs: [String: ArtifactRef]

    public init(origin: Int64, originPath: String, outputs: [String: ArtifactRef]) {
        self.origin = origin
        self.originPath = originPath
        self.outputs = outputs
    }
}

/// Why a task runs, as far as the scheduler's side knows; the recorder turns `.missed` into
/// what changed since the nearest earlier task.
public enum RunCause: Hashable, Sendable {
    /// Neither the cache nor a resumed run is asked for this task.
    case cacheOff
    /// `resume --from STEP` forces it.
    case from(String)
    /// Looked for, not found: compare with the nearest earlier task to say why.
    case missed
}
