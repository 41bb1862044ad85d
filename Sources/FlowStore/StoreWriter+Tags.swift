/// Changing a run's user tags after it began (`flowspec tag add|remove`). Each change reads and
/// writes the tags in one transaction, so two changes at once both count. System tags stay.
extension StoreWriter {
    /// Adds `tags` (those the run has already are left as they are); returns the run's tags.
    @discardableResult
    public func addTags(_ tags: [String], to run: RunID) throws -> [String] {
        if let problem = tags.lazy.compactMap(RunTags.problem).first { throw StoreError.invalidTag(problem) }
        return try changeTags(of: run) { RunTags.unique($0 + tags) }
    }

    /// Removes `tags`; a system tag, or one the run does not have, is refused and nothing
    /// changes. Returns the run's tags.
    @discardableResult
    public func removeTags(_ tags: [String], from run: RunID) throws -> [String] {
        if let system = tags.first(where: RunTags.isSystem) {
            throw StoreError.invalidTag("tag '\(system)' is a system tag: the run set it, and it cannot be removed")
        }
        return try changeTags(of: run) { current in
            if let missing = tags.first(where: { !current.contains($0) }) {
                throw StoreError.invalidTag("run '\(run)' has no tag '\(missing)'")
            }
            return current.filter { !tags.contains($0) }
        }
    }

    private func changeTags(of run: RunID, _ change: ([String]) throws -> [String]) throws -> [String] {
        try write {
            let stored = try database.queryFirst("SELECT tags FROM runs WHERE id = ?", [run.rawValue]) { $0.string(0) }
            guard let stored else { throw StoreError.runNotFound(run.rawValue) }
            let tags = try change(try JSONColumn.decode([String].self, from: stored, what: "runs.tags"))
            try database.run("UPDATE runs SET tags = ? WHERE id = ?", [try JSONColumn.encode(tags), run.rawValue])
            return tags
        }
    }
}
