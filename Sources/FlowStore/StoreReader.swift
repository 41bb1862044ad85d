import FlowBasics
/// Reads a store without ever writing to it: what `runs`, `inspect`, `logs`, `get`, `resume`
/// and the UI need. Safe to use while schedulers write: each call reads one consistent snapshot.
public final class StoreReader {
    public let layout: StoreLayout
    let database: Database
    private let blobs: BlobFiles

    /// Opens the store at `path`; fails with `StoreError.noStore` if there is none.
    public init(path: String, busyTimeout: Int32 = 10_000) throws {
        layout = StoreLayout(root: path)
        let database = try StoreOpening.openForReading(layout, busyTimeout: busyTimeout)
        self.database = database
        blobs = BlobFiles(layout: layout)
        taskColumns = try StoreError.wrapping {
            try Self.taskColumns(loopKnown: StoreOpening.hasColumn("in_loop", of: "steps", database)) { column in
                try StoreOpening.hasColumn(column, of: "tasks", database) ? "t." + column : "NULL"
            }
        }
    }

    public var formatVersion: Int { Schema.formatVersion }

    // MARK: Flows and runs

    public func flows() throws -> [FlowRecord] {
        try read {
            try database.query("SELECT name, project, created_at FROM flows ORDER BY name") {
                FlowRecord(name: $0.string(0), project: $0.optionalString(1), createdAt: $0.int64(2))
            }
        }
    }

    /// Runs of `flow` (all flows when nil), newest first.
    public func runs(flow: String? = nil, limit: Int? = nil) throws -> [RunRecord] {
        try runs(matching: RunFilter(flow: flow), limit: limit)
    }

    /// The run `reference` names: `ID`, a unique prefix of an id, `latest`, or any of them
    /// after `FLOW/`. `flow` narrows the search like a `FLOW/` prefix does.
    public func run(_ reference: String, flow: String? = nil) throws -> RunRecord {
        var flow = flow
        var id = reference
        if let slash = reference.lastIndex(of: "/") {
            flow = String(reference[..<slash])
            id = String(reference[reference.index(after: slash)...])
        }
        if id == "latest" {
            guard let run = try runs(flow: flow, limit: 1).first else { throw StoreError.runNotFound(reference) }
            return run
        }
        return try read {
            let matches = try database.query("""
                SELECT \(Self.runColumns) FROM runs
                WHERE substr(id, 1, length(?1)) = ?1 AND (?2 IS NULL OR flow = ?2)
                ORDER BY id LIMIT 11
                """, [id, flow], Self.runRecord).map { try $0.get() }
            if let exact = matches.first(where: { $0.id.rawValue == id }) { return exact }
            guard let only = matches.first else { throw StoreError.runNotFound(reference) }
            guard matches.count == 1 else {
                throw StoreError.ambiguousRun(reference, candidates: matches.map { "\($0.flow)/\($0.id)" })
            }
            return only
        }
    }

    /// The run's status as a reader should show it: a `running` run whose scheduler is known
    /// to be gone is `interrupted`. On this host the scheduler's pid is checked; for another
    /// host, a heartbeat older than `staleAfter` milliseconds counts as gone.
    public func observedStatus(of run: RunRecord, staleAfter: Int64 = RunLiveness.staleAfter) -> RunStatus {
        guard run.status == .running else { return run.status }
        return RunLiveness.schedulerIsAlive(run, staleAfter: staleAfter) ? .running : .interrupted
    }

    // MARK: Steps, tasks, attempts

    /// Why the run failed, one line per failure it ended with; nil for a run that did not
    /// fail, or one recorded before runs kept it.
    public func failure(of run: RunID) throws -> String? {
        try read {
            guard try StoreOpening.hasColumn("failure", of: "runs", database) else { return nil }
            return try database.queryFirst("SELECT failure FROM runs WHERE id = ?", [run.rawValue]) { $0.optionalString(0) } ?? nil
        }
    }

    /// The run's steps in declaration order.
    public func steps(of run: RunID) throws -> [StepRecord] {
        try read {
            let report = try StoreOpening.hasColumn("report", of: "steps", database) ? "report" : "NULL"
            return try database.query("SELECT name, position, kind, is_end, \(report) FROM steps WHERE run = ? ORDER BY position",
                                      [run.rawValue]) { row in
                let reported = try row.optionalString(4).map { try JSONColumn.decode([String].self, from: $0, what: "steps.report") }
                return StepRecord(run: run, name: row.string(0), position: row.int(1), kind: row.string(2), isEnd: row.bool(3),
                                  report: reported ?? [])
            }
        }
    }

    /// The run's tasks (of one step when `step` is given): steps in declaration order, each
    /// step's tasks in foreach order, then loop iteration.
    public func tasks(of run: RunID, step: String? = nil) throws -> [TaskRecord] {
        try read {
            try database.query("""
                SELECT \(taskColumns) FROM tasks t LEFT JOIN steps s ON s.run = t.run AND s.name = t.step
                WHERE t.run = ?1 AND (?2 IS NULL OR t.step = ?2)
                ORDER BY s.position, t.index_key, t.iteration, t.id
                """, [run.rawValue, step], Self.taskRecord).map { try observed($0.get()) }
        }
    }

    public func task(_ id: TaskID) throws -> TaskRecord {
        let found = try read {
            try database.queryFirst("SELECT \(taskColumns) FROM tasks t WHERE t.id = ?", [id.rawValue], Self.taskRecord)
        }
        guard let found else { throw StoreError.taskNotFound(id.description) }
        return try observed(found.get())
    }

    /// The task of `step` at foreach position `index` (the last loop iteration unless given).
    public func task(run: RunID, step: String, index: [Int] = [], iteration: Int? = nil) throws -> TaskRecord {
        let found = try read {
            try database.queryFirst("""
                SELECT \(taskColumns) FROM tasks t
                WHERE t.run = ?1 AND t.step = ?2 AND t.index_key = ?3 AND (?4 IS NULL OR t.iteration = ?4)
                ORDER BY t.iteration DESC LIMIT 1
                """, [run.rawValue, step, JSONColumn.indexKey(index), iteration], Self.taskRecord)
        }
        guard let found else {
            throw StoreError.taskNotFound("\(run)/\(step)" + index.map { "[\($0)]" }.joined())
        }
        return try observed(found.get())
    }

    /// `task` as readers show it: `running` becomes `interrupted` when its run's scheduler is gone.
    private func observed(_ task: TaskRecord) throws -> TaskRecord {
        guard task.status == .running, observedStatus(of: try run(task.run.rawValue)) == .interrupted else { return task }
        var shown = task
        shown.status = .interrupted
        return shown
    }

    /// The tasks `task` follows, in branch or item order.
    public func parents(of task: TaskID) throws -> [TaskID] {
        try read {
            try database.query("SELECT parent FROM task_parents WHERE task = ? ORDER BY position", [task.rawValue]) {
                TaskID($0.int64(0))
            }
        }
    }

    /// The task's attempts, first to last.
    public func attempts(of task: TaskID) throws -> [AttemptRecord] {
        try read {
            let spills = try StoreOpening.hasColumn("stdout_blob", of: "attempts", database)
            let jobs = try StoreOpening.hasColumn("job_id", of: "attempts", database)
            return try database.query("""
                SELECT number, status, started_at, finished_at, seconds, worker_pid, exit_status, signal,
                    error_kind, error_type, error_message, error_traceback, stdout, stderr,
                    \(spills ? "stdout_blob, stderr_blob" : "NULL, NULL"), \(jobs ? "job_id, job_node, job_state" : "NULL, NULL, NULL")
                FROM attempts WHERE task = ? ORDER BY number
                """, [task.rawValue]) { row -> Result<AttemptRecord, StoreError> in
                guard let status = AttemptStatus(rawValue: row.string(1)) else {
                    return .failure(.malformed("attempt status '\(row.string(1))'"))
                }
                let error = row.optionalString(8).map {
                    AttemptError(kind: $0, type: row.optionalString(9), message: row.string(10), traceback: row.optionalString(11))
                }
                return .success(AttemptRecord(
                    task: task, number: row.int(0), status: status, startedAt: row.int64(2), finishedAt: row.optionalInt64(3),
                    seconds: row.optionalDouble(4), workerPID: row.optionalInt64(5).map { Int32(truncatingIfNeeded: $0) },
                    exitStatus: row.optionalInt(6), signal: row.optionalInt(7), error: error,
                    stdout: try output(row.string(12), spilledTo: row.optionalString(14)),
                    stderr: try output(row.string(13), spilledTo: row.optionalString(15)),
                    job: row.optionalString(16).map { AttemptJobRecord(id: $0, node: row.optionalString(17), state: row.optionalString(18)) }))
            }.map { try $0.get() }
        }
    }

    /// The artifacts the task itself produced (or took over, if reused), by name.
    public func artifacts(of task: TaskID) throws -> [ArtifactRecord] {
        try read {
            try database.query("SELECT name, blob, type, size, repr FROM artifacts WHERE task = ? ORDER BY name",
                               [task.rawValue]) {
                ArtifactRecord(task: task, name: $0.string(0),
                               value: ArtifactRef(blob: $0.string(1), size: $0.int64(3), type: $0.string(2), repr: $0.string(4)))
            }
        }
    }

    /// The artifacts named `name` of the tasks of `step` in `run`, in task order (foreach
    /// order, then loop pass), at most `limit` of them.
    public func artifacts(named name: String, ofStep step: String, in run: RunID, limit: Int) throws -> [ArtifactRecord] {
        try read {
            try database.query("""
                SELECT a.task, a.name, a.blob, a.type, a.size, a.repr FROM artifacts a JOIN tasks t ON t.id = a.task
                WHERE t.run = ? AND t.step = ? AND a.name = ? ORDER BY t.index_key, t.iteration, t.id LIMIT ?
                """, [run.rawValue, step, name, limit]) {
                ArtifactRecord(task: TaskID($0.int64(0)), name: $0.string(1),
                               value: ArtifactRef(blob: $0.string(2), size: $0.int64(4), type: $0.string(3), repr: $0.string(5)))
            }
        }
    }

    /// The files the run recorded, by path.
    public func codeFiles(of run: RunID) throws -> [CodeFileRecord] {
        try read {
            let module = try StoreOpening.hasColumn("module", of: "code_files", database) ? "module" : "NULL"
            return try database.query("SELECT path, blob, size, \(module) FROM code_files WHERE run = ? ORDER BY path", [run.rawValue]) {
                CodeFileRecord(run: run, path: $0.string(0), blob: $0.string(1), size: $0.int64(2), module: $0.optionalString(3))
            }
        }
    }

    /// The code a reader needs for the run's values: its own files, then those of the run it
    /// resumed, and so on, since a reused task's values were pickled with its origin's code.
    public func codeSnapshot(of run: RunID) throws -> [CodeFileRecord] {
        var files: [CodeFileRecord] = []
        var seen: Set<RunID> = []
        var next: RunID? = run
        while let current = next, seen.insert(current).inserted {
            files += try codeFiles(of: current)
            next = try read {
                try database.queryFirst("SELECT origin_run FROM runs WHERE id = ?", [current.rawValue]) { $0.optionalString(0) }
            }?.map(RunID.init)
        }
        return files
    }

    /// The environments the run's steps ran in, in plan order; none for a run recorded
    /// before stores had them.
    public func environments(of run: RunID) throws -> [RunEnvironmentRecord] {
        try read {
            let known = try database.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_environments'") { _ in true }
            guard known != nil else { return [] }
            return try database.query("""
                SELECT kind, location, hash, requirements, python_version, python_executable, packages, steps, built, build_seconds
                FROM run_environments WHERE run = ? ORDER BY position
                """, [run.rawValue]) { row in
                Result { () throws -> RunEnvironmentRecord in
                    guard let kind = RunEnvironmentRecord.Kind(rawValue: row.string(0)) else {
                        throw StoreError.malformed("environment kind '\(row.string(0))'")
                    }
                    return RunEnvironmentRecord(
                        kind: kind, location: row.optionalString(1), hash: row.optionalString(2),
                        requirements: try JSONColumn.decode([String].self, from: row.string(3), what: "run_environments.requirements"),
                        pythonVersion: row.optionalString(4), pythonExecutable: row.optionalString(5),
                        packages: try row.optionalString(6).map { try JSONColumn.decode([String: String].self, from: $0, what: "run_environments.packages") },
                        steps: try JSONColumn.decode([String].self, from: row.string(7), what: "run_environments.steps"),
                        built: row.bool(8), buildSeconds: row.optionalDouble(9))
                }
            }.map { try $0.get() }
        }
    }

    // MARK: Blobs

    /// An attempt's output: the row's text, or the raw blob it was too large for.
    private func output(_ inline: String, spilledTo blob: String?) throws -> String {
        guard let blob else { return inline }
        return String(decoding: try blobs.read(blob), as: UTF8.self)
    }

    public func blobPath(_ hash: String) throws -> String { try layout.blobPath(hash) }

    /// A blob's bytes, exactly as stored (a container or a raw file).
    public func readBlob(_ hash: String, verify: Bool = false) throws -> [UInt8] {
        try verify ? blobs.readVerified(hash) : blobs.read(hash)
    }

    /// Whether the blob exists and its bytes hash to its name.
    public func verifyBlob(_ hash: String) throws -> Bool {
        do {
            _ = try blobs.readVerified(hash)
            return true
        } catch StoreError.blobCorrupt, StoreError.blobMissing {
            return false
        }
    }

    // MARK: Helpers

    /// Runs `body` in one read transaction, so that several queries see one snapshot.
    func read<T>(_ body: () throws -> T) throws -> T {
        try StoreError.wrapping { try database.transaction(.deferred, body) }
    }

    static let runColumns = """
        id, flow, status, params, tags, user, spec_path, spec_blob, code_fingerprint, python_version,
        python_executable, environment, created_at, finished_at, heartbeat_at, scheduler_pid, scheduler_host,
        scheduler_start, origin_run, resume_from
        """

    static func runRecord(_ row: Row) -> Result<RunRecord, StoreError> {
        Result {
            guard let status = RunStatus(rawValue: row.string(2)) else {
                throw StoreError.malformed("run status '\(row.string(2))'")
            }
            return RunRecord(
                id: RunID(row.string(0)), flow: row.string(1), status: status,
                params: try JSONColumn.decode([String: ArtifactRef].self, from: row.string(3), what: "runs.params"),
                tags: try JSONColumn.decode([String].self, from: row.string(4), what: "runs.tags"),
                user: row.optionalString(5), specPath: row.optionalString(6), specBlob: row.optionalString(7),
                codeFingerprint: row.optionalString(8), pythonVersion: row.optionalString(9),
                pythonExecutable: row.optionalString(10), environment: row.string(11),
                createdAt: row.int64(12), finishedAt: row.optionalInt64(13), heartbeatAt: row.int64(14),
                schedulerPID: Int32(truncatingIfNeeded: row.int64(15)), schedulerHost: row.string(16),
                schedulerStart: row.optionalInt64(17), originRun: row.optionalString(18).map(RunID.init),
                resumeFrom: row.optionalString(19))
        }.mapError { $0 as? StoreError ?? .malformed("\($0)") }
    }

    /// The columns `taskRecord` reads, `t` being `tasks`, with the task's status as readers show
    /// it: `interrupted` when a stop ended it. Whether the task's step is inside a loop is
    /// recorded with the step; for a run recorded before that, a step is taken to be in one when
    /// it has a later pass.
    let taskColumns: String

    /// `added` gives an added column's expression: the column, or NULL in an older store.
    private static func taskColumns(loopKnown: Bool, added: (String) throws -> String) rethrows -> String {
        let recorded = loopKnown ? "(SELECT s2.in_loop FROM steps s2 WHERE s2.run = t.run AND s2.name = t.step)" : "NULL"
        return """
            t.id, t.run, t.step, t.index_path, t.foreach_index, t.iteration,
            CASE WHEN t.status = 'failed' AND (SELECT a.error_kind FROM attempts a WHERE a.task = t.id
                                               ORDER BY a.number DESC LIMIT 1) = 'interrupted'
                 THEN 'interrupted' ELSE t.status END,
            t.origin_task, t.created_at, t.started_at, t.finished_at,
            COALESCE(\(recorded), EXISTS (SELECT 1 FROM tasks t3 WHERE t3.run = t.run AND t3.step = t.step AND t3.iteration > 0)),
            \(try added("cache_key")), \(try added("item")), \(try added("reason")), \(try added("reason_code")), \(try added("inputs"))
            """
    }

    static func taskRecord(_ row: Row) -> Result<TaskRecord, StoreError> {
        Result {
            guard let status = TaskStatus(rawValue: row.string(6)) else {
                throw StoreError.malformed("task status '\(row.string(6))'")
            }
            return TaskRecord(
                id: TaskID(row.int64(0)), run: RunID(row.string(1)), step: row.string(2),
                index: try JSONColumn.decode([Int].self, from: row.string(3), what: "tasks.index_path"),
                foreachIndex: row.optionalInt(4), iteration: row.int(5), status: status,
                originTask: row.optionalInt64(7).map(TaskID.init), createdAt: row.int64(8),
                startedAt: row.optionalInt64(9), finishedAt: row.optionalInt64(10), inLoop: row.bool(11),
                cacheKey: row.optionalString(12), item: row.optionalString(13),
                reason: row.optionalString(14).map { TaskReasonRecord(code: row.optionalString(15) ?? "", text: $0) },
                inputs: row.optionalString(16))
        }.mapError { $0 as? StoreError ?? .malformed("\($0)") }
    }
}
