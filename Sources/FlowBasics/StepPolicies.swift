/// How often and after how long a failed task is tried again (`retry`, docs/spec.md section 2).
public struct RetryPolicy: Hashable, Sendable {
    public var times: Int
    public var delay: Duration?
    public var backoff: Double?
    public var maxDelay: Duration?
    public var jitter: Bool?

    public init(times: Int) { self.times = times }
}

/// What one task of a step asks for while it runs (`resources`); what is not written is absent.
public struct Resources: Hashable, Sendable {
    public var cpu: Double?
    public var memory: MemorySize?
    public var gpu: Int?

    public init() {}
}

/// Where a step's tasks run (`executor`, docs/spec.md section 9).
public enum ExecutorKind: String, CaseIterable, Hashable, Sendable {
    case local, slurm
}

/// A step's Slurm settings (`slurm`): the sbatch options of those names, raw `extra`
/// arguments, and how many pilot jobs run its tasks (none: one job per task).
public struct SlurmSettings: Hashable, Sendable {
    public var partition: String?
    public var account: String?
    public var qos: String?
    public var constraint: String?
    public var pilots: Int?
    public var extra: [String] = []

    public init() {}
}
