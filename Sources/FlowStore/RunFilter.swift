/// Which runs `StoreReader.runs(matching:)` lists: all of `tags`, and any of `statuses` and of
/// `users` where they are given.
public struct RunFilter: Sendable {
    public var flow: String?
    /// The run has every one (`Flow.runs(*tags)` in Metaflow).
    public var tags: [String]
    /// Any of them, as readers show a run's status (a `running` run whose scheduler is gone is
    /// `interrupted`); empty: any status.
    public var statuses: Set<RunStatus>
    /// Any of them; empty: anyone's runs.
    public var users: [String]

    public init(flow: String? = nil, tags: [String] = [], statuses: Set<RunStatus> = [], users: [String] = []) {
        self.flow = flow
        self.tags = tags
        self.statuses = statuses
        self.users = users
    }

    /// The SQL condition on `runs` and its bindings. The status is stored, not yet observed: a
    /// run stored `running` may show as `interrupted`, so both are read and sorted out after.
    var condition: (sql: String, bindings: [any SQLConvertible]) {
        var clauses: [String] = [], bindings: [any SQLConvertible] = []
        if let flow {
            clauses.append("flow = ?")
            bindings.append(flow)
        }
        for tag in tags {
            clauses.append("EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?)")
            bindings.append(tag)
        }
        if !users.isEmpty {
            clauses.append("user IN (\(users.map { _ in "?" }.joined(separator: ", ")))")
            bindings += users.map { $0 as any SQLConvertible }
        }
        let stored = Set(statuses.flatMap { $0 == .interrupted ? [RunStatus.interrupted, .running] : [$0] })
        if !stored.isEmpty {
            clauses.append("status IN (\(stored.map { _ in "?" }.joined(separator: ", ")))")
            bindings += stored.sorted { $0.rawValue < $1.rawValue }.map { $0.rawValue as any SQLConvertible }
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), bindings)
    }
}

extension StoreReader {
    /// The runs `filter` selects, newest first, at most `limit` of them.
    public func runs(matching filter: RunFilter, limit: Int? = nil) throws -> [RunRecord] {
        let (condition, bindings) = filter.condition
        // Observed statuses are sorted out here, so the limit applies after them.
        let sqlLimit = filter.statuses.isEmpty ? (limit ?? -1) : -1
        let found = try read {
            try database.query("""
                SELECT \(Self.runColumns) FROM runs WHERE \(condition)
                ORDER BY created_at DESC, rowid DESC LIMIT \(sqlLimit)
                """, bindings, Self.runRecord).map { try $0.get() }
        }
        let shown = filter.statuses.isEmpty ? found : found.filter { filter.statuses.contains(observedStatus(of: $0)) }
        return limit.map { Array(shown.prefix($0)) } ?? shown
    }
}
