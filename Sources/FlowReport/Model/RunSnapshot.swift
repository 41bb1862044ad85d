import FlowStore

/// Everything a page of one run shows, read from the store at one moment: the run, its steps
/// and their graph, every task with its attempts' timings, its environments. Pages are pure
/// functions of it.
public struct RunSnapshot: Sendable {
    public var run: RunRecord
    /// As readers show it (`interrupted` for a `running` run whose scheduler is gone).
    public var status: RunStatus
    /// Why a failed run failed, one line per failure.
    public var failure: String?
    public var steps: [StepRecord]
    public var graph: GraphShape
    /// Steps in declaration order, each step's tasks in foreach order.
    public var tasks: [TaskRecord]
    /// Each task's attempts, first to last.
    public var attempts: [TaskID: [AttemptTiming]]
    public var environments: [RunEnvironmentRecord]
    /// When the snapshot was read: the end of the timeline of a run still going.
    public var readAt: Timestamp

    public init(run: RunRecord, status: RunStatus, failure: String? = nil, steps: [StepRecord], graph: GraphShape,
                tasks: [TaskRecord], attempts: [TaskID: [AttemptTiming]], environments: [RunEnvironmentRecord] = [],
                readAt: Timestamp) {
        self.run = run
        self.status = status
        self.failure = failure
        self.steps = steps
        self.graph = graph
        self.tasks = tasks
        self.attempts = attempts
        self.environments = environments
        self.readAt = readAt
    }

    /// `FLOW/ID`, as every command names the run.
    public var name: String { "\(run.flow)/\(run.id)" }

    /// The run's tasks, by step.
    public var tasksByStep: [String: [TaskRecord]] { Dictionary(grouping: tasks, by: \.step) }

    /// Each step's state, from its tasks.
    public var stepStates: [String: StepState] {
        let grouped = tasksByStep
        var states: [String: StepState] = [:]
        for step in steps { states[step.name] = StepState(tasks: grouped[step.name] ?? [], runStatus: status) }
        return states
    }

    /// The run's tasks counted by status.
    public var taskCounts: TaskCounts {
        tasks.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }

    /// When the run ended, or the moment read for one still going.
    public var end: Timestamp {
        if let finished = run.finishedAt { return finished }
        let last = attempts.values.joined().map { $0.finishedAt ?? $0.startedAt }.max() ?? run.createdAt
        return status == .running ? max(readAt, last) : last
    }
}
