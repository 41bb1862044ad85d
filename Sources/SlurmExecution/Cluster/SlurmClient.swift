/// The cluster as the executor talks to it: submit, read the state of many jobs in one call,
/// cancel. Each call runs one Slurm command and blocks until it ends (tens of milliseconds on
/// a quiet controller): call it from a thread of its own, not from the async pool.
public struct SlurmClient: Sendable {
    private let runner: any CommandRunner

    public init(runner: any CommandRunner) { self.runner = runner }

    /// A client running the commands with `env` (where SLURM_CONF says which cluster).
    public init(env: [String: String]) { self.init(runner: Subprocess(env: env)) }

    /// Submits `job`; its id. A refusal by `sbatch` (it asks for more than the cluster has, an
    /// unknown partition…) is a `JobFailure` of kind `refused` with sbatch's own words; a
    /// cluster that cannot be reached, or no `sbatch`, is a `SlurmError`.
    public func submit(_ job: JobRequest) throws(SubmitError) -> JobID {
        let output: CommandOutput
        do { output = try runner.run(job.sbatchArguments) } catch { throw .slurm(error) }
        guard output.succeeded else {
            let message = CommandMessage.text(output.stderr)
            if CommandMessage.isUnreachable(message) {
                throw .slurm(.failed(command: "sbatch", status: output.status, message: message))
            }
            throw .refused(JobFailure(kind: .refused, job: nil, state: nil, reason: "", detail: message))
        }
        let line = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let id = JobID(parsing: line) else { throw .slurm(.unreadable(command: "sbatch", output: output.stdout)) }
        return id
    }

    /// The state of each of `jobs` that the controller knows, in one `squeue` call. A job it
    /// does not list has left its memory (`MinJobAge` after it ended) or never was.
    public func statuses(of jobs: [JobID]) throws(SlurmError) -> [JobID: JobStatus] {
        guard !jobs.isEmpty else { return [:] }
        let output = try runner.run(QueueListing.arguments(for: jobs))
        guard output.succeeded else {
            // squeue fails when it knows none of the ids, and then means only that.
            if output.stderr.contains("Invalid job id specified") { return [:] }
            throw .failed(command: "squeue", status: output.status, message: CommandMessage.text(output.stderr))
        }
        let wanted = Set(jobs)
        let statuses = try QueueListing.parse(output.stdout).filter { wanted.contains($0.id) }
        return Dictionary(statuses.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The jobs named one of `names` that are queued or running, in one `squeue` call.
    public func liveJobs(named names: [String]) throws(SlurmError) -> [JobID] {
        guard !names.isEmpty else { return [] }
        let output = try runner.run(["squeue", "--noheader", "--name=" + names.joined(separator: ","), "--format=%i"])
        guard output.succeeded else {
            throw .failed(command: "squeue", status: output.status, message: CommandMessage.text(output.stderr))
        }
        return output.stdout.split(separator: "\n").compactMap { JobID(parsing: $0.trimmingPrefix(" ")) }
    }

    /// Cancels `jobs` in one `scancel` call; a job that has already ended is no error.
    public func cancel(_ jobs: [JobID]) throws(SlurmError) {
        guard !jobs.isEmpty else { return }
        let output = try runner.run(["scancel"] + jobs.map(\.description))
        guard output.succeeded else {
            throw .failed(command: "scancel", status: output.status, message: CommandMessage.text(output.stderr))
        }
    }
}

/// Why `submit` did not give a job id.
public enum SubmitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// sbatch would not take the job: a failed attempt.
    case refused(JobFailure)
    /// The cluster could not be asked.
    case slurm(SlurmError)

    public var description: String {
        switch self {
        case let .refused(failure): failure.description
        case let .slurm(error): error.description
        }
    }
}

/// What Slurm's commands say on stderr.
enum CommandMessage {
    /// `sbatch: error: Memory specification can not be satisfied` … as one line, without the
    /// repeated `sbatch: error: ` prefixes.
    static func text(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { line in
            var text = Substring(line)
            for prefix in ["sbatch: error: ", "squeue: error: ", "scancel: error: ", "slurm_load_jobs error: "]
            where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
            return text.trimmingPrefix(" ")
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// Whether the controller could not be reached, which says nothing about the job.
    static func isUnreachable(_ message: String) -> Bool {
        ["Unable to contact slurm controller", "Socket timed out", "Unable to process configuration file",
         "Zero Bytes were transmitted or received",
         "Could not establish a configuration source"].contains { message.contains($0) }
    }
}
