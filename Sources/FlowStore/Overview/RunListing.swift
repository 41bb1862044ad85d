/// Which runs a page of runs lists (the UI's runs page): every filter given must hold.
public struct RunListing: Hashable, Sendable {
    public var flow: String?
    /// As readers show it: `interrupted` takes in `running` runs whose scheduler is gone.
    public var status: RunStatus?
    /// The run has this tag.
    public var tag: String?
    public var user: String?
    /// How many runs to skip, newest first, and how many to list after them.
    public var offset: Int
    public var limit: Int

    public init(flow: String? = nil, status: RunStatus? = nil, tag: String? = nil, user: String? = nil,
                offset: Int = 0, limit: Int = 50) {
        self.flow = flow
        self.status = status
        self.tag = tag
        self.user = user
        self.offset = offset
        self.limit = limit
    }
}

/// One page of runs, newest first, and how many match in all.
public struct RunPage: Sendable {
    public var runs: [RunRecord]
    /// Each run's status as readers show it, parallel to `runs`.
    public var statuses: [RunStatus]
    public var total: Int
}

/// How many of a run's tasks are in each status (as readers show them).
public typealias TaskCounts = [TaskStatus: Int]

extension StoreReader {
    /// The runs `listing` selects. Stored statuses are filtered in SQL; `running` and
    /// `interrupted` depend on whether a scheduler is alive, so those are sorted out here.
    public func runs(_ listing: RunListing) throws -> RunPage {
        let observed = listing.status == .running || listing.status == .interrupted
        var conditions = ["(?1 IS NULL OR flow = ?1)", "(?2 IS NULL OR user = ?2)",
                          "(?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?3))"]
        let stored: String? = observed ? nil : listing.status?.rawValue
        conditions.append(observed ? "status = 'running' OR status = 'interrupted'" : "(?4 IS NULL OR status = ?4)")
        let filter = conditions.map { "(\($0))" }.joined(separator: " AND ")
        let bindings: [any SQLConvertible] = observed ? [listing.flow, listing.user, listing.tag]
            : [listing.flow, listing.user, listing.tag, stored]
        return try read {
            if observed {
                let all = try database.query("SELECT \(Self.runColumns) FROM runs WHERE \(filter) ORDER BY created_at DESC, rowid DESC",
                                             bindings, Self.runRecord).map { try $0.get() }
                let kept = all.filter { observedStatus(of: $0) == listing.status }
                let page = Array(kept.dropFirst(listing.offset).prefix(listing.limit))
                return RunPage(runs: page, statuses: page.map { observedStatus(of: $0) }, total: kept.count)
            }
            let total = try database.queryFirst("SELECT count(*) FROM runs WHERE \(filter)", bindings) { $0.int(0) } ?? 0
            let page = try database.query("""
                SELECT \(Self.runColumns) FROM runs WHERE \(filter)
                ORDER BY created_at DESC, rowid DESC LIMIT \(max(0, listing.limit)) OFFSET \(max(0, listing.offset))
                """, bindings, Self.runRecord).map { try $0.get() }
            return RunPage(runs: page, statuses: page.map { observedStatus(of: $0) }, total: total)
        }
    }

    /// Each run's tasks counted by status, in one query. A task of a run shown `interrupted`
    /// that is still stored `running` counts as `interrupted`, as `tasks(of:)` shows it.
    public func taskCounts(of runs: [RunRecord]) throws -> [RunID: TaskCounts] {
        guard !runs.isEmpty else { return [:] }
        let interrupted = Set(runs.filter { observedStatus(of: $0) == .interrupted }.map(\.id))
        let marks = runs.map { _ in "?" }.joined(separator: ", ")
        let rows = try read {
            try database.query("""
                SELECT t.run, CASE WHEN t.status = 'failed' AND (SELECT a.error_kind FROM attempts a WHERE a.task = t.id
                                   ORDER BY a.number DESC LIMIT 1) = 'interrupted' THEN 'interrupted' ELSE t.status END, count(*)
                FROM tasks t WHERE t.run IN (\(marks)) GROUP BY 1, 2
                """, runs.map { $0.id.rawValue as any SQLConvertible }) { ($0.string(0), $0.string(1), $0.int(2)) }
        }
        var counts: [RunID: TaskCounts] = [:]
        for (run, text, count) in rows {
            guard var status = TaskStatus(rawValue: text) else { throw StoreError.malformed("task status '\(text)'") }
            let id = RunID(run)
            if status == .running && interrupted.contains(id) { status = .interrupted }
            counts[id, default: [:]][status, default: 0] += count
        }
        return counts
    }

    /// The users and tags the store's runs have, sorted: what a runs page can filter by.
    public func runFacets() throws -> (users: [String], tags: [String]) {
        try read {
            let users = try database.query("SELECT DISTINCT user FROM runs WHERE user IS NOT NULL ORDER BY 1") { $0.string(0) }
            let tags = try database.query("SELECT DISTINCT j.value FROM runs, json_each(runs.tags) j ORDER BY 1") { $0.string(0) }
            return (users, tags)
        }
    }
}
