/// Where a job stands, as the executor acts on it: still waiting, done, or failed and why.
public enum JobOutcome: Hashable, Sendable {
    /// In the queue (`PENDING`), for a reason that may still pass.
    case queued
    /// Placed on a node: running, or ending (`COMPLETING`).
    case running
    case succeeded
    case failed(JobFailure)

    /// What `status` means. `errorOutput` is the end of what the job wrote to stderr, when the
    /// caller has it: without memory cgroups, Slurm kills a job past its `--mem` by sampling
    /// (`JobAcctGatherParams=OverMemoryKill`) and says so only there; the job is then `FAILED`.
    public init(_ status: JobStatus, errorOutput: String? = nil) {
        let kind: JobFailure.Kind
        switch status.state {
        case .completed where status.exit.status == 0: self = .succeeded; return
        case _ where status.state.isQueued:
            guard PendingReason.isPermanent(status.reason) else { self = .queued; return }
            kind = .neverRunnable
        case _ where !status.state.isFinished: self = .running; return
        case .failed where errorOutput.map(JobLog.reportsMemoryKill) ?? false: kind = .outOfMemory
        case .completed, .failed: kind = status.exit.signal == nil ? .exited : .signaled
        case .cancelled: kind = .cancelled
        case .timeout, .deadline: kind = .timedOut
        case .outOfMemory: kind = .outOfMemory
        case .nodeFail, .bootFail: kind = .nodeFailed
        case .preempted: kind = .preempted
        default: kind = .other
        }
        self = .failed(JobFailure(kind: kind, job: status.id, state: status.state, reason: status.reason,
                                  detail: Self.detail(kind, status)))
    }

    private static func detail(_ kind: JobFailure.Kind, _ status: JobStatus) -> String {
        switch kind {
        case .exited: "failed: its command exited with code \(status.exit.code ?? 0)"
        case .signaled: "failed: its command was killed by signal \(status.exit.signal ?? 0)"
        case .cancelled: "was cancelled"
        case .timedOut: "ran past its time limit" + (status.timeLimit.minutes.map { " of \($0) min" } ?? "")
        case .outOfMemory: "was killed for using more memory than it asked for"
        case .nodeFailed: "was lost with its node" + (status.nodes.map { " \($0)" } ?? "")
        case .preempted: "was preempted"
        case .neverRunnable: "can never start: Slurm holds it for \(status.reason)"
        case .refused, .vanished, .other: "ended in state \(status.state)"
        }
    }
}

extension TimeLimit {
    var minutes: Int? {
        if case let .seconds(seconds) = self { seconds / 60 } else { nil }
    }
}

/// What Slurm's step daemon writes into a job's stderr.
enum JobLog {
    /// Whether `text` has the step daemon's word that it killed the job for memory
    /// (`slurmstepd-vm: error: Exceeded job memory limit`, `… exceeded memory limit (… > …),
    /// being killed`) or that a memory cgroup did (`Detected 1 oom-kill event(s)`).
    static func reportsMemoryKill(_ text: String) -> Bool {
        text.split(separator: "\n").contains { line in
            let lower = line.lowercased()
            return lower.hasPrefix("slurmstepd")
                && ["exceeded job memory limit", "exceeded memory limit", "oom-kill event"].contains { lower.contains($0) }
        }
    }
}

/// Why a job waits, and whether waiting can ever end.
public enum PendingReason {
    /// Reasons that only a change of the job, or of the cluster's configuration, ends: it asks
    /// for more than its partition allows (without `EnforcePartLimits`, sbatch takes such a job
    /// and it pends for ever), names an account or QOS that does not exist, or depends on a job
    /// that failed. Waiting for resources, for a node that is down or for other jobs' limits is
    /// not among them: those pass.
    public static func isPermanent(_ reason: String) -> Bool {
        // `ReqNodeNotAvail,_UnavailableNodes:vm`: the reason is before the comma.
        let name = String(reason.prefix { $0 != "," })
        if permanent.contains(name) { return true }
        // Per-job limits of an association or QOS, which the job itself exceeds.
        let limit = name.hasPrefix("AssocMax") || name.hasPrefix("QOSMax")
        return (limit && name.contains("PerJob")) || name.hasPrefix("QOSMin")
    }

    private static let permanent: Set<String> = [
        "BadConstraints", "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS", "PartitionConfig",
        "PartitionTimeLimit",
    ]
}
