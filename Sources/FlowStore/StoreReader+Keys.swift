import FlowBasics

/// An earlier task a task is compared with or taken from, with what its step's key was made of.
public struct KeyedTask: Hashable, Sendable {
    public var task: TaskRecord
    public var flow: String
    /// The step's fingerprint parts in that run (`StoreWriter.recordStepIdentity`), if recorded.
    public var stepParts: String?

    /// `FLOW/ID/STEP/TASK`.
    public var pathspec: String { "\(flow)/\(task.run)/\(task.path)" }
}

/// What the cache, `resume` and `explain` read (specs/store-format.md, `steps` and `tasks`).
extension StoreReader {
    /// What a worker reported the function of a step with this fingerprint takes by name.
    public func stepParameters(fingerprint: String) throws -> [String]? {
        let text = try read {
            try database.queryFirst("""
                SELECT parameters FROM steps WHERE fingerprint = ? AND parameters IS NOT NULL LIMIT 1
                """, [fingerprint]) { $0.string(0) }
        }
        return try text.map { try JSONColumn.decode([String].self, from: $0, what: "steps.parameters") }
    }

    /// The completed task a task of this key is taken from, if the cache has one.
    public func cachedTask(key: String) throws -> KeyedTask? {
        try keyedTask(where: "t.id = (SELECT task FROM cache_entries WHERE key = ?1)", [key])
    }

    /// The latest task of `step` at `index` and `iteration` in another run of `flow` than
    /// `run` (in `origin` only, when given): what a task that runs is compared with.
    public func earlierTask(flow: String, step: String, index: [Int], iteration: Int, besides run: RunID,
                            in origin: RunID? = nil) throws -> KeyedTask? {
        try keyedTask(where: """
            t.step = ?1 AND t.index_key = ?2 AND t.iteration = ?3 AND t.run <> ?4 AND (?5 IS NULL OR t.run = ?5)
            AND r.flow = ?6
            """, [step, JSONColumn.indexKey(index), iteration, run.rawValue, origin?.rawValue, flow])
    }

    /// The newest run of `flow` (or `run` only, when given) that recorded `step`'s fingerprint
    /// parts: that run, and the parts.
    public func latestStepParts(flow: String, step: String, in run: RunID? = nil) throws -> (run: RunID, parts: String)? {
        try read {
            try database.queryFirst("""
                SELECT s.run, s.key_parts FROM steps s JOIN runs r ON r.id = s.run
                WHERE r.flow = ?1 AND s.name = ?2 AND s.key_parts IS NOT NULL AND (?3 IS NULL OR s.run = ?3)
                ORDER BY r.created_at DESC LIMIT 1
                """, [flow, step, run?.rawValue]) { (RunID($0.string(0)), $0.string(1)) }
        }
    }

    /// The step's fingerprint parts in `run`, if recorded.
    public func stepParts(run: RunID, step: String) throws -> String? {
        try read {
            try database.queryFirst("SELECT key_parts FROM steps WHERE run = ? AND name = ?", [run.rawValue, step]) {
                $0.optionalString(0)
            } ?? nil
        }
    }

    private func keyedTask(where condition: String, _ bindings: [any SQLConvertible]) throws -> KeyedTask? {
        let found = try read {
            try database.queryFirst("""
                SELECT \(taskColumns), r.flow, s.key_parts FROM tasks t
                JOIN runs r ON r.id = t.run LEFT JOIN steps s ON s.run = t.run AND s.name = t.step
                WHERE \(condition) ORDER BY t.id DESC LIMIT 1
                """, bindings) { row in
                Self.taskRecord(row).map { KeyedTask(task: $0, flow: row.string(17), stepParts: row.optionalString(18)) }
            }
        }
        return try found?.get()
    }
}
