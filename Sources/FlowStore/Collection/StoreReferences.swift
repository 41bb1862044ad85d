/// What the records name, read in one snapshot: every blob (artifacts, params, the spec and
/// code files, spilled output) and every built environment, and since when a running run may
/// have claimed a blob it has not recorded yet.
struct StoreReferences {
    var blobs: Set<String> = []
    var environments: Set<String> = []
    /// The start of the earliest run still running, nil when none is. A blob modified since
    /// may be one it is about to name (`LockedBlob`); gc leaves those.
    var earliestRunning: Timestamp?
    /// When runs could start again (gc let go of the fence), on the file system's clock: a
    /// blob modified since may be one a run that started since is about to name.
    var reopened: Timestamp = .max

    /// The references of every run but those of `excluded` (a dry run's would-be deleted).
    static func read(from database: Database, excluding excluded: Set<RunID> = []) throws -> StoreReferences {
        try database.transaction(.deferred) {
            let list = try JSONColumn.encode(excluded.map(\.rawValue).sorted())
            var references = StoreReferences()
            references.blobs = Set(try database.query(try blobQuery(database), [list]) { $0.string(0) })
            if try hasTable("run_environments", database) {
                references.environments = Set(try database.query("""
                    SELECT DISTINCT hash FROM run_environments
                    WHERE kind = 'requirements' AND hash IS NOT NULL AND run NOT IN (SELECT value FROM json_each(?1))
                    """, [list]) { $0.string(0) })
            }
            let running = try database.query("SELECT \(StoreReader.runColumns) FROM runs WHERE status = 'running'", [],
                                             StoreReader.runRecord).map { try $0.get() }.filter(RunLiveness.isRunning)
            references.earliestRunning = running.map(\.createdAt).min()
            return references
        }
    }

    /// Every column that names a blob (`specs/store-format.md`, "Blobs"), of runs not in `?1`.
    private static func blobQuery(_ database: Database) throws -> String {
        let kept = "NOT IN (SELECT value FROM json_each(?1))"
        var parts = [
            "SELECT a.blob FROM artifacts a JOIN tasks t ON t.id = a.task WHERE t.run \(kept)",
            "SELECT blob FROM code_files WHERE run \(kept)",
            "SELECT spec_blob FROM runs WHERE spec_blob IS NOT NULL AND id \(kept)",
            "SELECT json_extract(p.value, '$.blob') FROM runs r, json_each(r.params) p WHERE r.id \(kept)",
        ]
        // A store made before output was spilled to blobs has no such columns (only a reader meets one).
        if try StoreOpening.hasColumn("stdout_blob", of: "attempts", database) {
            for column in ["stdout_blob", "stderr_blob"] {
                parts.append("SELECT x.\(column) FROM attempts x JOIN tasks t ON t.id = x.task WHERE x.\(column) IS NOT NULL AND t.run \(kept)")
            }
        }
        return parts.joined(separator: "\nUNION ")
    }

    private static func hasTable(_ name: String, _ database: Database) throws -> Bool {
        try database.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) { _ in true } ?? false
    }
}
