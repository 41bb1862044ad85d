
/// Why a task attempt failed. The raw values are what the store records (`attempts.error_kind`).
/// README "Choices" says which failures are retried and which are caught; this is the one place
/// that decides.
public enum FailureKind: String, Sendable, Hashable {
    /// The worker's: the kinds of `WorkerFailure.Kind`, which says what each means.
    case exception, `import`, binding, outputs, pickle, foreach, store

    // The executor's:
    /// The attempt ran longer than its timeout.
    case timeout
    /// The worker died during the attempt.
    case lost
    /// The run was stopped.
    case interrupted
    /// No worker could start.
    case worker

    // The scheduler's:
    /// No `switch` case matched.
    case `switch`
    /// A loop reached its `max_iterations`.
    case loop
    /// The step asks for more cpu or memory than the run may use.
    case resources
    /// The task never ran, or the run ended before its last step.
    case unreached
    /// The scheduler met a graph it cannot run.
    case scheduler

    /// Tried again, as often as the step's `retry` allows: the user's code raised, or its
    /// attempt ran too long or lost its worker; a wrong spec or a broken store would fail again.
    public var isRetryable: Bool {
        switch self {
        case .exception, .timeout, .lost, .worker: true
        default: false
        }
    }

    /// Caught by the step's `catch`: failures of the user's code, which also returned what
    /// `outputs` cannot take or what cannot be pickled; a wrong spec or a broken store is not.
    public var isCatchable: Bool {
        isRetryable || self == .outputs || self == .pickle
    }
}
