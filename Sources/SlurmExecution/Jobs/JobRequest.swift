/// One batch job to submit: the command it runs and what it asks Slurm for.
public struct JobRequest: Hashable, Sendable {
    /// The program and its arguments, run with `exec` by the job's shell.
    public var command: [String]
    /// `--job-name`: what `squeue` shows.
    public var name: String
    public var resources: JobResources
    public var options: SlurmOptions
    /// Files the job's stdout and stderr go to (`--output`, `--error`), on the node; Slurm's
    /// default (`slurm-%j.out` in the working folder) when nil.
    public var output: String?
    public var error: String?
    /// The folder the job starts in (`--chdir`).
    public var workingDirectory: String?

    public init(command: [String], name: String, resources: JobResources = JobResources(),
                options: SlurmOptions = SlurmOptions(), output: String? = nil, error: String? = nil,
                workingDirectory: String? = nil) {
        self.command = command
        self.name = name
        self.resources = resources
        self.options = options
        self.output = output
        self.error = error
        self.workingDirectory = workingDirectory
    }
}

/// What one task needs, as the step's `resources` and `timeout` say.
public struct JobResources: Hashable, Sendable {
    /// Cpus, rounded up to a whole number (at least 1) for `--cpus-per-task`.
    public var cpu: Double
    /// Bytes, rounded up to MiB for `--mem`; 0 leaves the cluster's default (`DefMemPerCPU`).
    public var memory: Int64
    /// `--gres=gpu:N` when above 0.
    public var gpu: Int
    /// Seconds; `--time` in whole minutes, rounded up. Nil: the partition's limit.
    public var timeout: Double?

    public init(cpu: Double = 1, memory: Int64 = 0, gpu: Int = 0, timeout: Double? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
        self.timeout = timeout
    }
}

/// Where the job goes: `slurm: {partition, account, qos, constraint, pilots, extra}` of the
/// spec, or `--slurm-partition`… of the command line.
public struct SlurmOptions: Hashable, Sendable {
    public var partition: String?
    public var account: String?
    public var qos: String?
    public var constraint: String?
    /// Raw sbatch arguments, passed as they are after all the others.
    public var extra: [String]
    /// How many pilot jobs run the step's tasks; nil: one job per task.
    public var pilots: Int?

    public init(partition: String? = nil, account: String? = nil, qos: String? = nil,
                constraint: String? = nil, extra: [String] = [], pilots: Int? = nil) {
        self.partition = partition
        self.account = account
        self.qos = qos
        self.constraint = constraint
        self.extra = extra
        self.pilots = pilots
    }
}
