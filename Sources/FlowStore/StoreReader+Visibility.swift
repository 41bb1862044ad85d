/// Which artifacts a task sees (SPEC section 3): its own, over what its parents saw, nearest
/// first. Where a task follows several parents (a join), a name stays visible only when every
/// parent sees it with the same blob; otherwise it is reachable through `inputs` alone. Params
/// are artifacts too: the first task sees them, recorded as if it had produced them.
extension StoreReader {
    /// Name → the artifact `task` sees by that name, including its own outputs. Each record's
    /// `task` is the task that produced it.
    public func visibleArtifacts(of task: TaskID) throws -> [String: ArtifactRecord] {
        try read {
            var memo: [TaskID: [String: ArtifactRecord]] = [:]
            return try visible(task, memo: &memo)
        }
    }

    /// The task of the run's end step that finished last (completed or reused), if any.
    public func endTask(of run: RunID) throws -> TaskRecord? {
        let found = try read {
            try database.queryFirst("""
                SELECT \(taskColumns) FROM tasks t JOIN steps s ON s.run = t.run AND s.name = t.step
                WHERE t.run = ? AND s.is_end = 1 AND t.status IN ('completed', 'reused')
                ORDER BY t.iteration DESC, t.id DESC LIMIT 1
                """, [run.rawValue], Self.taskRecord)
        }
        return try found?.get()
    }

    /// The run's data: the artifacts as seen by its end step, or nil if the end step never
    /// finished.
    public func runArtifacts(of run: RunID) throws -> [String: ArtifactRecord]? {
        guard let end = try endTask(of: run) else { return nil }
        return try visibleArtifacts(of: end.id)
    }

    private func visible(_ task: TaskID, memo: inout [TaskID: [String: ArtifactRecord]]) throws -> [String: ArtifactRecord] {
        if let known = memo[task] { return known }
        let parentIDs = try parents(of: task)
        var result: [String: ArtifactRecord] = [:]
        if parentIDs.isEmpty {
            let run = try self.run(try self.task(task).run.rawValue)
            for (name, value) in run.params { result[name] = ArtifactRecord(task: task, name: name, value: value) }
        }
        if let first = parentIDs.first {
            result = try visible(first, memo: &memo)
            for parent in parentIDs.dropFirst() {
                let other = try visible(parent, memo: &memo)
                result = result.filter { other[$0.key]?.value.blob == $0.value.value.blob }
            }
        }
        for artifact in try artifacts(of: task) {
            result[artifact.name] = artifact
        }
        memo[task] = result
        return result
    }
}
