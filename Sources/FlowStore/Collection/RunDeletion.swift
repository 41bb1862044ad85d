/// Deletes runs' rows: every row of a run goes in the same transaction, a few runs to a
/// transaction so that the schedulers writing meanwhile never wait long for the store.
///
/// The connection has foreign keys off: SQLite would otherwise look for the rows naming each
/// deleted task in tables with no index for it, once per task. Each transaction checks first
/// that no row it leaves names a row it deletes (a run that started to reuse one since the
/// runs were chosen keeps it), then deletes a run's rows in every table that has them.
enum RunDeletion {
    /// About how many tasks one transaction deletes (a larger run goes alone).
    static let tasksPerTransaction = 20_000

    /// Deletes `runs`, newest first; returns those deleted and those found in use meanwhile.
    static func delete(_ runs: [RunRecord], in database: Database) throws -> (deleted: [RunRecord], kept: [RunRecord]) {
        let sizes = try taskCounts(database)
        var deleted: [RunRecord] = [], kept: [RunRecord] = []
        var batch: [RunRecord] = [], tasks = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let gone = try deleteBatch(batch, in: database)
            deleted += batch.filter { gone.contains($0.id) }
            kept += batch.filter { !gone.contains($0.id) }
            batch = []
            tasks = 0
        }
        for run in runs {
            let size = sizes[run.id] ?? 0
            if !batch.isEmpty && tasks + size > tasksPerTransaction { try flush() }
            batch.append(run)
            tasks += size
        }
        try flush()
        return (deleted, kept)
    }

    private static func taskCounts(_ database: Database) throws -> [RunID: Int] {
        let rows = try database.query("SELECT run, count(*) FROM tasks GROUP BY run") { (RunID($0.string(0)), $0.int(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// One transaction: the batch's runs that are still deletable, deleted. Returns their ids.
    private static func deleteBatch(_ batch: [RunRecord], in database: Database) throws -> Set<RunID> {
        try database.transaction(.immediate) {
            var ids = try stillIdle(batch, in: database)
            while true {
                let used = try usedFromOutside(ids, in: database)
                if used.isEmpty { break }
                ids.subtract(used)
            }
            guard !ids.isEmpty else { return [] }
            let list = try JSONColumn.encode(ids.map(\.rawValue).sorted())
            for statement in deletions { try database.run(statement, [list]) }
            return ids
        }
    }

    /// The batch's runs still recorded and still not running (a scheduler on another host may
    /// have sent a heartbeat again since).
    private static func stillIdle(_ batch: [RunRecord], in database: Database) throws -> Set<RunID> {
        let list = try JSONColumn.encode(batch.map(\.id.rawValue))
        let fresh = try database.query("SELECT \(StoreReader.runColumns) FROM runs WHERE id IN (SELECT value FROM json_each(?))",
                                       [list], StoreReader.runRecord).map { try $0.get() }
        return Set(fresh.filter { !RunLiveness.isRunning($0) }.map(\.id))
    }

    /// The runs of `ids` that a run outside them reuses: it resumed one, or took a task of one.
    private static func usedFromOutside(_ ids: Set<RunID>, in database: Database) throws -> Set<RunID> {
        guard !ids.isEmpty else { return [] }
        let list = try JSONColumn.encode(ids.map(\.rawValue).sorted())
        let used = try database.query("""
            SELECT origin_run FROM runs
            WHERE origin_run IN (SELECT value FROM json_each(?1)) AND id NOT IN (SELECT value FROM json_each(?1))
            UNION
            SELECT t.run FROM tasks t
            WHERE t.run IN (SELECT value FROM json_each(?1)) AND EXISTS (
                SELECT 1 FROM tasks o WHERE o.origin_task = t.id AND o.run NOT IN (SELECT value FROM json_each(?1)))
            """, [list]) { RunID($0.string(0)) }
        return Set(used)
    }

    /// Every row of the runs in the JSON array `?1`, table by table; then their flows, if no
    /// run of them is left. Every table whose rows name a run or a task is here
    /// (`CollectorSchemaTests` checks it).
    static let deletions = [
        "DELETE FROM task_parents WHERE task IN (SELECT id FROM tasks WHERE run IN (SELECT value FROM json_each(?1)))",
        "DELETE FROM attempts WHERE task IN (SELECT id FROM tasks WHERE run IN (SELECT value FROM json_each(?1)))",
        "DELETE FROM artifacts WHERE task IN (SELECT id FROM tasks WHERE run IN (SELECT value FROM json_each(?1)))",
        "DELETE FROM cache_entries WHERE task IN (SELECT id FROM tasks WHERE run IN (SELECT value FROM json_each(?1)))",
        "DELETE FROM tasks WHERE run IN (SELECT value FROM json_each(?1))",
        "DELETE FROM steps WHERE run IN (SELECT value FROM json_each(?1))",
        "DELETE FROM code_files WHERE run IN (SELECT value FROM json_each(?1))",
        "DELETE FROM run_environments WHERE run IN (SELECT value FROM json_each(?1))",
        """
        DELETE FROM flows WHERE name IN (SELECT flow FROM runs WHERE id IN (SELECT value FROM json_each(?1)))
            AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.flow = flows.name AND r.id NOT IN (SELECT value FROM json_each(?1)))
        """,
        "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?1))",
    ]
}
