/// What the cache, `explain` and `resume` read back (docs/spec.md, "Cache, explain and resume"):
/// each step's fingerprint and what it is made of, what its function takes by name, and each
/// task's key, the inputs it hashes and why it ran or was reused.
extension StoreWriter {
    /// Records the step's fingerprint and its parts (a JSON object: function, files, python,
    /// packages), which `explain` compares with an earlier run's.
    public func recordStepIdentity(run: RunID, step: String, fingerprint: String, parts: String) throws {
        try write {
            try database.run("UPDATE steps SET fingerprint = ?, key_parts = ? WHERE run = ? AND name = ?",
                             [fingerprint, parts, run.rawValue, step])
        }
    }

    /// Records what the step's function takes by name, once a worker has said.
    public func recordStepParameters(run: RunID, step: String, parameters: [String]) throws {
        let names = try JSONColumn.encode(parameters)
        try write {
            try database.run("UPDATE steps SET parameters = ? WHERE run = ? AND name = ? AND parameters IS NULL",
                             [names, run.rawValue, step])
        }
    }

    /// Records a task's key, the inputs it hashes (a JSON object) and why it ran or was reused.
    public func recordTaskIdentity(_ task: TaskID, key: String?, inputs: String?, reason: TaskReasonRecord?) throws {
        try write {
            try database.run("""
                UPDATE tasks SET cache_key = coalesce(?, cache_key), inputs = coalesce(?, inputs), reason = ?, reason_code = ?
                WHERE id = ?
                """, [key, inputs, reason?.text, reason?.code, task.rawValue])
        }
    }

    /// Makes a completed task with a key the one later tasks of that key are taken from.
    func recordCacheEntry(_ task: TaskID, at now: Int64) throws {
        try database.run("""
            INSERT OR REPLACE INTO cache_entries (key, task, created_at)
            SELECT cache_key, id, ? FROM tasks WHERE id = ? AND cache_key IS NOT NULL
            """, [now, task.rawValue])
    }
}
