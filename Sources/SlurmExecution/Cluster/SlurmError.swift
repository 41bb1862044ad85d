/// A Slurm command that could not do what it was asked: the cluster's trouble or this
/// machine's, not a job's (a job's is a `JobFailure`).
public enum SlurmError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The program could not be run at all (not installed, not on PATH).
    case cannotStart(program: String, reason: String)
    /// It ran and failed: its exit status and what it said on stderr.
    case failed(command: String, status: Int32, message: String)
    /// It succeeded but printed what it should not have.
    case unreadable(command: String, output: String)

    public var description: String {
        switch self {
        case let .cannotStart(program, reason):
            "cannot run '\(program)': \(reason); is Slurm's client (sbatch, squeue, scancel) installed and on PATH?"
        case let .failed(command, _, message): "'\(command)' failed: \(message)"
        case let .unreadable(command, output): "'\(command)' printed what flowspec cannot read: '\(output)'"
        }
    }
}
