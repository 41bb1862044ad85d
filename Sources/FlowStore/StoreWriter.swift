import FlowBasics
import Glibc

/// What a scheduler knows about a run as it begins.
public struct NewRun: Sendable {
    public var flow: String
    public var project: String?
    /// Param name → its stored value (the worker's `put` response).
    public var params: [String: ArtifactRef]
    /// The user's tags; the writer puts the system tags before them (`RunTags`).
    public var tags: [String]
    /// Who started the run; nil records this process's user (`$USER`, else `$LOGNAME`, else the
    /// uid's account).
    public var user: String?
    public var specPath: String?
    /// The raw blob of the spec's bytes (`StoreWriter.writeRawBlob`).
    public var specBlob: String?
    public var codeFingerprint: String?
    public var pythonVersion: String?
    public var pythonExecutable: String?
    /// A JSON object of further environment facts; `{}` when there are none.
    public var environment: String
    public var originRun: RunID?
    public var resumeFrom: String?

    public init(flow: String, project: String? = nil, params: [String: ArtifactRef] = [:], tags: [String] = [],
                user: String? = nil, specPath: String? = nil, specBlob: String? = nil,
                codeFingerprint: String? = nil, pythonVersion: String? = nil, pythonExecutable: String? = nil,
                environment: String = "{}", originRun: RunID? = nil, resumeFrom: String? = nil) {
        self.flow = flow
        self.project = project
        self.params = params
        self.tags = tags
        self.user = user
        self.specPath = specPath
        self.specBlob = specBlob
        self.codeFingerprint = codeFingerprint
        self.pythonVersion = pythonVersion
        self.pythonExecutable = pythonExecutable
        self.environment = environment
        self.originRun = originRun
        self.resumeFrom = resumeFrom
    }
}

/// How an attempt ended.
public struct AttemptOutcome: Sendable {
    public var status: AttemptStatus
    /// Output name → stored value; recorded on the task when the attempt completed.
    public var artifacts: [String: ArtifactRef]
    public var seconds: Double?
    /// The worker process that ran it; recorded when it ends if not when it started.
    public var workerPID: Int32?
    /// How the worker ended, when it did: its exit status, or the signal that killed it.
    public var exitStatus: Int?
    public var signal: Int?
    public var error: AttemptError?
    public var stdout: String
    public var stderr: String
    /// The cluster job it ran as (`AttemptJobRecord`), when an executor submitted one.
    public var job: AttemptJobRecord?

    public init(status: AttemptStatus, artifacts: [String: ArtifactRef] = [:], seconds: Double? = nil,
                workerPID: Int32? = nil, exitStatus: Int? = nil, signal: Int? = nil, error: AttemptError? = nil,
                stdout: String = "", stderr: String = "") {
        self.status = status
        self.artifacts = artifacts
        self.seconds = seconds
        self.workerPID = workerPID
        self.exitStatus = exitStatus
        self.signal = signal
        self.error = error
        self.stdout = stdout
        self.stderr = stderr
    }

    public static func completed(_ artifacts: [String: ArtifactRef], seconds: Double? = nil,
                                 stdout: String = "", stderr: String = "") -> AttemptOutcome {
        AttemptOutcome(status: .completed, artifacts: artifacts, seconds: seconds, stdout: stdout, stderr: stderr)
    }

    public static func failed(_ error: AttemptError, exitStatus: Int? = nil, signal: Int? = nil,
                              stdout: String = "", stderr: String = "") -> AttemptOutcome {
        AttemptOutcome(status: .failed, exitStatus: exitStatus, signal: signal, error: error, stdout: stdout, stderr: stderr)
    }
}

/// The one writer of run metadata: the scheduler. Each call is one transaction, so a scheduler
/// killed at any instant leaves every earlier call recorded and nothing half-written.
/// Several writers (schedulers of different runs) may share a store; each opens its own.
public final class StoreWriter {
    public let layout: StoreLayout
    let database: Database
    private let blobs: BlobFiles
    private let host = System.hostName
    private let pid = System.processID
    private lazy var processStart = System.processStart(System.processID)
    /// The blob folder, open: syncing its file system makes the blobs written so far durable.
    private let blobFolder: Int32
    /// Whether the open transaction names blobs that may not be on disk yet.
    private var namesUnsyncedBlobs = false
    private var databaseFile: DatabaseFileCheck

    /// Opens the store at `path`, creating its folders and database when missing.
    public init(path: String, busyTimeout: Int32 = 10_000) throws {
        layout = StoreLayout(root: path)
        database = try StoreOpening.openForWriting(layout, busyTimeout: busyTimeout)
        databaseFile = try DatabaseFileCheck(path: layout.database)
        blobs = BlobFiles(layout: layout)
        blobFolder = open(layout.blobs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard blobFolder >= 0 else { throw StoreError.io(path: layout.blobs, reason: System.errorText(errno)) }
    }

    deinit { close(blobFolder) }

    // MARK: Runs

    /// Records a new run, `running`, owned by this process, tagged with the system tags and then
    /// the user's; returns its fresh id.
    public func beginRun(_ run: NewRun) throws -> RunID {
        if let problem = run.tags.lazy.compactMap(RunTags.problem).first { throw StoreError.invalidTag(problem) }
        let params = try JSONColumn.encode(run.params)
        let user = run.user ?? System.userName
        let tags = try JSONColumn.encode(RunTags.system(user: user, pythonVersion: run.pythonVersion) + RunTags.unique(run.tags))
        return try write {
            namesUnsyncedBlobs = true
            let now = System.nowMilliseconds()
            try database.run("""
                INSERT INTO flows (name, project, created_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET project = coalesce(excluded.project, project)
                """, [run.flow, run.project, now])
            var id = RunID.make(at: now)
            while try database.queryFirst("SELECT 1 FROM runs WHERE id = ?", [id.rawValue], { _ in true }) != nil {
                id = RunID.make(at: now)
            }
            try database.run("""
                INSERT INTO runs (id, flow, status, params, tags, user, spec_path, spec_blob, code_fingerprint,
                    python_version, python_executable, environment, created_at, heartbeat_at,
                    scheduler_pid, scheduler_host, scheduler_start, origin_run, resume_from)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id.rawValue, run.flow, params, tags, user, run.specPath, run.specBlob, run.codeFingerprint,
                      run.pythonVersion, run.pythonExecutable, run.environment, now, now,
                      Int64(pid), host, processStart, run.originRun?.rawValue, run.resumeFrom])
            return id
        }
    }

    /// Says the run's scheduler is still alive; readers on other hosts judge liveness by it.
    public func heartbeat(_ run: RunID) throws {
        try write {
            try database.run("UPDATE runs SET heartbeat_at = ? WHERE id = ?", [System.nowMilliseconds(), run.rawValue])
        }
    }

    /// Records how the run ended, and why it failed: one line per failure it ended with.
    public func finishRun(_ run: RunID, status: RunStatus, failure: String? = nil) throws {
        try write {
            let now = System.nowMilliseconds()
            try database.run("UPDATE runs SET status = ?, finished_at = ?, heartbeat_at = ?, failure = ? WHERE id = ?",
                             [status.rawValue, now, now, failure, run.rawValue])
            guard database.changes == 1 else { throw StoreError.runNotFound(run.rawValue) }
        }
    }

    /// Marks `interrupted` every `running` run whose scheduler ran on this host and is gone
    /// (its pid is not running, or is now another process). Returns those runs.
    @discardableResult
    public func markInterruptedRuns() throws -> [RunID] {
        try write {
            let candidates = try database.query("""
                SELECT id, scheduler_pid, scheduler_start FROM runs
                WHERE status = 'running' AND scheduler_host = ?
                """, [host]) { (RunID($0.string(0)), Int32(truncatingIfNeeded: $0.int64(1)), $0.optionalInt64(2)) }
            let now = System.nowMilliseconds()
            var marked: [RunID] = []
            for (id, pid, start) in candidates where !System.isAlive(pid: pid, start: start) {
                try database.run("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?", [now, id.rawValue])
                try database.run("UPDATE tasks SET status = 'failed', finished_at = ? WHERE run = ? AND status = 'running'",
                                 [now, id.rawValue])
                try database.run("""
                    UPDATE attempts SET status = 'failed', finished_at = ?, error_kind = 'interrupted',
                        error_message = 'the scheduler stopped while this attempt ran'
                    WHERE status = 'running' AND task IN (SELECT id FROM tasks WHERE run = ?)
                    """, [now, id.rawValue])
                marked.append(id)
            }
            return marked
        }
    }

    /// Deletes the files in `tmp/` whose writer is gone: a killed worker's or scheduler's half
    /// written blobs. Their names are `NAME.PID.RANDOM`, PID the writer's process on this host.
    /// Returns how many.
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> Int {
        var removed = 0
        for name in FileIO.names(in: layout.temporary) {
            let parts = name.split(separator: ".")
            guard parts.count >= 3, let writer = Int32(parts[parts.count - 2]),
                  !System.isAlive(pid: writer, start: nil) else { continue }
            if unlink("\(layout.temporary)/\(name)") == 0 { removed += 1 }
        }
        return removed
    }

    // MARK: Steps and tasks

    /// Records a step of the run's plan. `position` is its declaration order; `isEnd` marks
    /// the step whose artifacts are the run's; `report` its `report:` names.
    public func recordStep(run: RunID, name: String, position: Int, kind: String, isEnd: Bool = false, inLoop: Bool = false,
                           report: [String] = []) throws {
        let reported = report.isEmpty ? nil : try JSONColumn.encode(report)
        try write {
            try database.run("""
                INSERT INTO steps (run, name, position, kind, is_end, in_loop, report) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run, name) DO UPDATE SET position = excluded.position, kind = excluded.kind, is_end = excluded.is_end,
                    in_loop = excluded.in_loop, report = excluded.report
                """, [run.rawValue, name, position, kind, isEnd, inLoop, reported])
        }
    }

    /// Records a task `pending`. `index` is its foreach positions, outermost first; `parents`
    /// are the tasks it follows (a join's in branch or item order), which is how readers find
    /// the artifacts it sees.
    @discardableResult
    public func addTask(run: RunID, step: String, index: [Int] = [], iteration: Int = 0, parents: [TaskID] = []) throws -> TaskID {
        try write { try insertTask(run: run, step: step, index: index, iteration: iteration, parents: parents, status: .pending, origin: nil) }
    }

    /// Starts the next attempt of a recorded task and marks the task `running`.
    public func startAttempt(_ task: TaskID, workerPID: Int32? = nil) throws -> AttemptKey {
        try write {
            let now = System.nowMilliseconds()
            let number = try database.queryFirst("SELECT coalesce(max(number), 0) + 1 FROM attempts WHERE task = ?",
                                                 [task.rawValue]) { $0.int(0) } ?? 1
            try database.run("""
                INSERT INTO attempts (task, number, status, started_at, worker_pid) VALUES (?, ?, 'running', ?, ?)
                """, [task.rawValue, number, now, workerPID.map(Int64.init)])
            let rowID = database.lastInsertRowID
            try database.run("""
                UPDATE tasks SET status = 'running', started_at = coalesce(started_at, ?), finished_at = NULL WHERE id = ?
                """, [now, task.rawValue])
            guard database.changes == 1 else { throw StoreError.taskNotFound(task.description) }
            return AttemptKey(task: task, number: number, rowID: rowID)
        }
    }

    /// Records a task and starts its first attempt, in one transaction. `cacheKey` is the
    /// task's key (docs/spec.md, "Task keys"), when it has one; `item` the item a foreach task
    /// processes (`TaskRecord.item`).
    public func startTask(run: RunID, step: String, index: [Int] = [], iteration: Int = 0, parents: [TaskID] = [],
                          item: String? = nil, workerPID: Int32? = nil, cacheKey: String? = nil) throws -> AttemptKey {
        try write {
            let task = try insertTask(run: run, step: step, index: index, iteration: iteration, parents: parents,
                                      status: .pending, origin: nil, item: item, cacheKey: cacheKey)
            return try startAttempt(task, workerPID: workerPID)
        }
    }

    /// Records how an attempt ended. The task takes the attempt's status; a completed attempt's
    /// artifacts become the task's. A failed task may be given another attempt.
    public func finishAttempt(_ attempt: AttemptKey, _ outcome: AttemptOutcome) throws {
        guard outcome.status != .running else { throw StoreError.malformed("an attempt cannot finish as 'running'") }
        let stdout = try spilled(outcome.stdout), stderr = try spilled(outcome.stderr)
        try write {
            let now = System.nowMilliseconds()
            try database.run("""
                UPDATE attempts SET status = ?, finished_at = ?, seconds = ?, worker_pid = coalesce(?, worker_pid),
                    exit_status = ?, signal = ?, error_kind = ?, error_type = ?, error_message = ?, error_traceback = ?,
                    stdout = ?, stderr = ?, stdout_blob = ?, stderr_blob = ?, job_id = ?, job_node = ?, job_state = ?
                WHERE id = ?
                """, [outcome.status.rawValue, now, outcome.seconds, outcome.workerPID.map(Int64.init), outcome.exitStatus, outcome.signal,
                      outcome.error?.kind, outcome.error?.type, outcome.error?.message, outcome.error?.traceback,
                      stdout.inline, stderr.inline, stdout.blob, stderr.blob, outcome.job?.id, outcome.job?.node, outcome.job?.state,
                      attempt.rowID])
            guard database.changes == 1 else { throw StoreError.taskNotFound("\(attempt.task) attempt \(attempt.number)") }
            if outcome.status == .completed {
                try insertArtifacts(outcome.artifacts, task: attempt.task)
                try recordCacheEntry(attempt.task, at: now)
            }
            try database.run("UPDATE tasks SET status = ?, finished_at = ? WHERE id = ?",
                             [outcome.status.rawValue, now, attempt.task.rawValue])
        }
    }

    /// A task whose last attempt failed but whose step `catch`es: the error and the step's
    /// outputs (all None) are stored as its artifacts, and the task counts as completed.
    public func recordCaught(_ task: TaskID, artifacts: [String: ArtifactRef]) throws {
        try write {
            try insertArtifacts(artifacts, task: task)
            try database.run("UPDATE tasks SET status = 'completed' WHERE id = ?", [task.rawValue])
        }
    }

    /// Records a task taken whole from an earlier one (resume, the cache): `reused`, with the
    /// origin's artifacts.
    @discardableResult
    public func reuseTask(run: RunID, step: String, index: [Int] = [], iteration: Int = 0, parents: [TaskID] = [],
                          item: String? = nil, origin: TaskID) throws -> TaskID {
        try write {
            let task = try insertTask(run: run, step: step, index: index, iteration: iteration, parents: parents,
                                      status: .reused, origin: origin, item: item)
            try database.run("""
                INSERT INTO artifacts (task, name, blob, type, size, repr)
                SELECT ?, name, blob, type, size, repr FROM artifacts WHERE task = ?
                """, [task.rawValue, origin.rawValue])
            let now = System.nowMilliseconds()
            try database.run("UPDATE tasks SET finished_at = ? WHERE id = ?", [now, task.rawValue])
            return task
        }
    }

    // MARK: Code snapshot

    /// Stores `bytes` as a raw blob (code, specs, notebooks); returns its SHA-256.
    public func writeRawBlob(_ bytes: [UInt8]) throws -> String {
        try blobs.writeRaw(bytes)
    }

    /// Output larger than this is kept in a raw blob rather than in its row.
    public static let largestInlineOutput = 1 << 20

    /// `text` as an attempt's row holds it: itself, or '' and the raw blob it is stored in.
    private func spilled(_ text: String) throws -> (inline: String, blob: String?) {
        guard text.utf8.count > Self.largestInlineOutput else { return (text, nil) }
        namesUnsyncedBlobs = true
        return ("", try blobs.writeRaw(Array(text.utf8)))
    }

    /// Stores a file the run used and records it under `path` (relative to the spec's folder);
    /// `module` is the module it is imported as, for a module a step names.
    @discardableResult
    public func recordCodeFile(run: RunID, path: String, bytes: [UInt8], module: String? = nil) throws -> String {
        let hash = try blobs.writeRaw(bytes)
        try write {
            namesUnsyncedBlobs = true
            try database.run("INSERT OR REPLACE INTO code_files (run, path, blob, size, module) VALUES (?, ?, ?, ?, ?)",
                             [run.rawValue, path, hash, Int64(bytes.count), module])
        }
        return hash
    }

    /// Records the environments the run's steps run in, in plan order.
    public func recordEnvironments(run: RunID, _ environments: [RunEnvironmentRecord]) throws {
        let rows = try environments.map { ($0, try JSONColumn.encode($0.requirements), try $0.packages.map(JSONColumn.encode),
                                           try JSONColumn.encode($0.steps)) }
        try write {
            for (position, (environment, requirements, packages, steps)) in rows.enumerated() {
                try database.run("""
                    INSERT OR REPLACE INTO run_environments (run, position, kind, location, hash, requirements,
                        python_version, python_executable, packages, steps, built, build_seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [run.rawValue, position, environment.kind.rawValue, environment.location, environment.hash, requirements,
                          environment.pythonVersion, environment.pythonExecutable, packages, steps, environment.built,
                          environment.buildSeconds])
            }
        }
    }

    // MARK: Helpers

    /// Group commit: the writes that follow share one transaction until `commitHeld`, so a
    /// busy run pays for one commit per batch of task records rather than two per task. Other
    /// writers of the store wait (`busy_timeout`) while it is held: commit within milliseconds.
    public func holdTransaction() throws {
        try StoreError.wrapping { try database.hold(.immediate) }
    }

    public func commitHeld() throws {
        try StoreError.wrapping { try database.commitHeld(beforeCommit: prepareCommit) }
    }

    func write<T>(_ body: () throws -> T) throws -> T {
        try StoreError.wrapping { try database.transaction(.immediate, body, beforeCommit: prepareCommit) }
    }

    /// Before each commit: the database file is still the one opened, whole; and blobs are
    /// durable before a record that names them commits (`specs/store-format.md`), with one sync
    /// of the store's file system for the whole batch, not one `fsync` per blob.
    private func prepareCommit() throws {
        try databaseFile.verify()
        guard namesUnsyncedBlobs else { return }
        try FileIO.syncFileSystem(blobFolder, path: layout.blobs)
        namesUnsyncedBlobs = false
    }

    private func insertTask(run: RunID, step: String, index: [Int], iteration: Int, parents: [TaskID],
                            status: TaskStatus, origin: TaskID?, item: String? = nil, cacheKey: String? = nil) throws -> TaskID {
        try database.run("""
            INSERT INTO tasks (run, step, index_path, index_key, foreach_index, iteration, status, origin_task, item, created_at, cache_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [run.rawValue, step, JSONColumn.indexPath(index), JSONColumn.indexKey(index), index.last, iteration,
                  status.rawValue, origin?.rawValue, item, System.nowMilliseconds(), cacheKey])
        let task = TaskID(database.lastInsertRowID)
        for (position, parent) in parents.enumerated() {
            try database.run("INSERT INTO task_parents (task, position, parent) VALUES (?, ?, ?)",
                             [task.rawValue, position, parent.rawValue])
        }
        return task
    }

    private func insertArtifacts(_ artifacts: [String: ArtifactRef], task: TaskID) throws {
        namesUnsyncedBlobs = namesUnsyncedBlobs || !artifacts.isEmpty
        for (name, value) in artifacts.sorted(by: { $0.key < $1.key }) {
            guard BlobHash.isValid(value.blob) else { throw StoreError.invalidHash(value.blob) }
            try database.run("""
                INSERT OR REPLACE INTO artifacts (task, name, blob, type, size, repr) VALUES (?, ?, ?, ?, ?, ?)
                """, [task.rawValue, name, value.blob, value.type, value.size, value.repr])
        }
    }
}
