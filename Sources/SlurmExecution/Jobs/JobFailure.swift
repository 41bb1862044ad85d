/// Why a job did not do its work, with what Slurm said of it: a failed attempt's reason.
public struct JobFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Its command exited with a code other than 0, or was killed by a signal.
        case exited, signaled
        /// Someone cancelled it (`scancel`, an administrator): Slurm does not say who.
        case cancelled
        /// It ran past its `--time`.
        case timedOut
        /// It used more memory than its `--mem`, and Slurm killed it.
        case outOfMemory
        /// Its node was lost (slurmd stopped answering) or failed to boot.
        case nodeFailed
        /// A job of higher priority took its place.
        case preempted
        /// `sbatch` would not take it.
        case refused
        /// It waits for a reason no waiting ends (`PendingReason.isPermanent`).
        case neverRunnable
        /// The controller no longer knows it.
        case vanished
        /// It ended in a state no other kind describes.
        case other
    }

    public let kind: Kind
    /// Nil only when `sbatch` refused the job, which then never had an id.
    public let job: JobID?
    public let state: JobState?
    public let reason: String
    /// What happened, in words: ends the description.
    public let detail: String

    public init(kind: Kind, job: JobID?, state: JobState?, reason: String, detail: String) {
        self.kind = kind
        self.job = job
        self.state = state
        self.reason = reason
        self.detail = detail
    }

    /// `Slurm job 18 ran past its time limit of 1 min (state TIMEOUT, reason TimeLimit)`.
    public var description: String {
        guard let job else { return "sbatch refused the job: \(detail)" }
        let slurmSays = [state.map { "state \($0)" }, reason.isEmpty || reason == "None" ? nil : "reason \(reason)"]
            .compactMap { $0 }.joined(separator: ", ")
        return "Slurm job \(job) \(detail)" + (slurmSays.isEmpty ? "" : " (\(slurmSays))")
    }
}
