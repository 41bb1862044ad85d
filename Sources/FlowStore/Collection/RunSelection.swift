/// The runs a gc deletes: those its options select, less the running ones and those a kept
/// run reuses. A run that resumed another, or took a task from it (resume, the cache), reads
/// that run's values and code: the other run is kept as long as it is.
struct RunSelection {
    /// Newest first, which is the order to delete them in: a run that reuses another is newer
    /// than it, so it goes first and no kept row ever names a deleted one.
    var doomed: [RunRecord] = []
    var running: [RunRecord] = []
    var reused: [RunRecord] = []
    /// How many runs the store holds.
    var total = 0

    static func choose(_ request: CollectionRequest, in database: Database) throws -> RunSelection {
        try database.transaction(.deferred) {
            let runs = try database.query("SELECT \(StoreReader.runColumns) FROM runs ORDER BY created_at DESC, rowid DESC",
                                          [], StoreReader.runRecord).map { try $0.get() }
            var selection = RunSelection(total: runs.count)
            var newer: [String: Int] = [:]
            var candidates: [RunRecord] = []
            for run in runs {
                defer { newer[run.flow, default: 0] += 1 }
                guard request.selects(run, newer: newer[run.flow, default: 0]) else { continue }
                if RunLiveness.isRunning(run) { selection.running.append(run) } else { candidates.append(run) }
            }
            let kept = Set(runs.map(\.id)).subtracting(candidates.map(\.id))
            let needed = try reusedRuns(from: kept, in: database)
            selection.doomed = candidates.filter { !needed.contains($0.id) }
            selection.reused = candidates.filter { needed.contains($0.id) }
            return selection
        }
    }

    /// Every run that `runs` reuse, directly or through another: their origins, transitively.
    private static func reusedRuns(from runs: Set<RunID>, in database: Database) throws -> Set<RunID> {
        var origins: [RunID: Set<RunID>] = [:]
        for (run, origin) in try reuseEdges(database) { origins[run, default: []].insert(origin) }
        var reached: Set<RunID> = []
        var queue = Array(runs)
        while let run = queue.popLast() {
            for origin in origins[run] ?? [] where !runs.contains(origin) && reached.insert(origin).inserted {
                queue.append(origin)
            }
        }
        return reached
    }

    /// (run, a run it reuses) for every resume and every task taken from another run.
    private static func reuseEdges(_ database: Database) throws -> [(RunID, RunID)] {
        try database.query("""
            SELECT id, origin_run FROM runs WHERE origin_run IS NOT NULL
            UNION
            SELECT reusing.run, origin.run FROM tasks reusing JOIN tasks origin ON origin.id = reusing.origin_task
            WHERE reusing.origin_task IS NOT NULL AND reusing.run != origin.run
            """) { (RunID($0.string(0)), RunID($0.string(1))) }
    }
}
