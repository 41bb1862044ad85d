/// A job's state as `squeue` names it (its "JOB STATE CODES"). A state this code does not know
/// keeps its name: it is shown as Slurm says it, never mistaken for another.
public struct JobState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let pending = JobState(rawValue: "PENDING")
    public static let configuring = JobState(rawValue: "CONFIGURING")
    public static let running = JobState(rawValue: "RUNNING")
    public static let suspended = JobState(rawValue: "SUSPENDED")
    public static let completing = JobState(rawValue: "COMPLETING")
    public static let completed = JobState(rawValue: "COMPLETED")
    public static let cancelled = JobState(rawValue: "CANCELLED")
    public static let failed = JobState(rawValue: "FAILED")
    public static let timeout = JobState(rawValue: "TIMEOUT")
    public static let outOfMemory = JobState(rawValue: "OUT_OF_MEMORY")
    public static let nodeFail = JobState(rawValue: "NODE_FAIL")
    public static let bootFail = JobState(rawValue: "BOOT_FAIL")
    public static let preempted = JobState(rawValue: "PREEMPTED")
    public static let deadline = JobState(rawValue: "DEADLINE")

    /// The job has ended and none of its processes run any more: COMPLETING, while its
    /// processes are still being ended, is not finished yet.
    public var isFinished: Bool { Self.finished.contains(rawValue) }

    /// Still waiting in the queue, as opposed to running or finished.
    public var isQueued: Bool { self == .pending || self == .configuring }

    private static let finished: Set<String> = [
        "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL",
        "PREEMPTED", "DEADLINE", "REVOKED", "SPECIAL_EXIT",
    ]

    public var description: String { rawValue }
}
