/// What the controller says of one job at one moment.
public struct JobStatus: Hashable, Sendable {
    public let id: JobID
    public let state: JobState
    /// Why it waits, or why it ended (`None` when there is nothing to say): `Resources`,
    /// `DependencyNeverSatisfied`, `TimeLimit`, `NonZeroExitCode`…
    public let reason: String
    /// The nodes it runs or ran on (`vm`, `node[01-04]`); nil before it is placed.
    public let nodes: String?
    public let timeLimit: TimeLimit
    /// How its batch script ended; meaningful once the job is finished.
    public let exit: JobExit

    public init(id: JobID, state: JobState, reason: String, nodes: String?, timeLimit: TimeLimit, exit: JobExit) {
        self.id = id
        self.state = state
        self.reason = reason
        self.nodes = nodes
        self.timeLimit = timeLimit
        self.exit = exit
    }
}

/// A job's exit as Slurm keeps it: a `waitpid` status of its batch script, except that Slurm
/// writes some signal numbers of its own there (253 for out of memory: `ExitCode=0:125`).
public struct JobExit: Hashable, Sendable, CustomStringConvertible {
    public let status: UInt32

    public init(status: UInt32) { self.status = status }

    /// The exit code, when the script exited rather than was killed.
    public var code: Int? { signal == nil ? Int((status >> 8) & 0xff) : nil }
    /// The signal that ended the script, if one did.
    public var signal: Int? { status & 0x7f == 0 ? nil : Int(status & 0x7f) }

    /// `exit code 3`, `signal 9`.
    public var description: String { signal.map { "signal \($0)" } ?? "exit code \(code ?? 0)" }
}

/// A job's time limit.
public enum TimeLimit: Hashable, Sendable {
    case unlimited
    case seconds(Int)

    /// Slurm's written forms: `UNLIMITED`, `MM:SS`, `HH:MM:SS`, `D-HH:MM:SS`; nil for others.
    init?(parsing text: some StringProtocol) {
        if text == "UNLIMITED" || text == "INFINITE" {
            self = .unlimited
            return
        }
        let dash = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let days = dash.count == 2 ? Int(dash[0]) : 0
        let clock = dash.last!.split(separator: ":", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard let days, (2...3).contains(clock.count), clock.count == dash.last!.split(separator: ":").count
        else { return nil }
        let (hours, minutes, seconds) = clock.count == 3 ? (clock[0], clock[1], clock[2]) : (0, clock[0], clock[1])
        self = .seconds(((days * 24 + hours) * 60 + minutes) * 60 + seconds)
    }
}
