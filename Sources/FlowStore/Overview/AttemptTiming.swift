/// One attempt as a timeline draws it: when it ran, on which worker, and how it ended, without
/// its output (which `attempts(of:)` reads, task by task).
public struct AttemptTiming: Hashable, Sendable {
    public var task: TaskID
    /// From 1.
    public var number: Int
    public var status: AttemptStatus
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    public var workerPID: Int32?
    public var error: AttemptError?

    public init(task: TaskID, number: Int, status: AttemptStatus, startedAt: Timestamp, finishedAt: Timestamp? = nil,
                workerPID: Int32? = nil, error: AttemptError? = nil) {
        self.task = task
        self.number = number
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.workerPID = workerPID
        self.error = error
    }
}

extension StoreReader {
    /// Every attempt of every task of the run, in one query: by task, first to last. Errors
    /// come without their tracebacks.
    public func attemptTimings(of run: RunID) throws -> [AttemptTiming] {
        try read {
            try database.query("""
                SELECT a.task, a.number, a.status, a.started_at, a.finished_at, a.worker_pid,
                    a.error_kind, a.error_type, a.error_message
                FROM attempts a JOIN tasks t ON t.id = a.task WHERE t.run = ? ORDER BY a.task, a.number
                """, [run.rawValue]) { row -> Result<AttemptTiming, StoreError> in
                guard let status = AttemptStatus(rawValue: row.string(2)) else {
                    return .failure(.malformed("attempt status '\(row.string(2))'"))
                }
                let error = row.optionalString(6).map { AttemptError(kind: $0, type: row.optionalString(7), message: row.string(8)) }
                return .success(AttemptTiming(
                    task: TaskID(row.int64(0)), number: row.int(1), status: status, startedAt: row.int64(3),
                    finishedAt: row.optionalInt64(4), workerPID: row.optionalInt64(5).map { Int32(truncatingIfNeeded: $0) },
                    error: error))
            }.map { try $0.get() }
        }
    }

    /// The run's tasks as `tasks(of:)` reads them, but the run looked up once, not once per
    /// running task: what a page of a run with many tasks needs.
    public func allTasks(of run: RunRecord) throws -> [TaskRecord] {
        let gone = observedStatus(of: run) == .interrupted
        let found = try read {
            try database.query("""
                SELECT \(taskColumns) FROM tasks t LEFT JOIN steps s ON s.run = t.run AND s.name = t.step
                WHERE t.run = ?1 ORDER BY s.position, t.index_key, t.iteration, t.id
                """, [run.id.rawValue], Self.taskRecord).map { try $0.get() }
        }
        guard gone else { return found }
        return found.map { task in
            var shown = task
            if shown.status == .running { shown.status = .interrupted }
            return shown
        }
    }
}

extension StoreReader {
    /// Which steps' tasks followed which, each pair once: the run's graph as its tasks walked it.
    public func stepEdges(of run: RunID) throws -> [(from: String, to: String)] {
        try read {
            try database.query("""
                SELECT p.step, c.step, min(c.id) FROM task_parents tp
                JOIN tasks c ON c.id = tp.task JOIN tasks p ON p.id = tp.parent
                WHERE c.run = ? GROUP BY p.step, c.step ORDER BY 3
                """, [run.rawValue]) { (from: $0.string(0), to: $0.string(1)) }
        }
    }
}
