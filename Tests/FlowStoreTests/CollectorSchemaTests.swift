import Testing
@testable import FlowStore

/// gc deletes a run's rows table by table, with foreign keys off: it must know every table
/// whose rows name a run or a task, and no row may point from one run to a task of another
/// but through `origin_task`, which gc checks.
@Suite struct CollectorSchemaTests {
    @Test func everyTableThatNamesARunOrATaskIsDeletedFrom() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let tables = try writer.database.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) }
        var naming: [String: Set<String>] = [:]
        for table in tables {
            let references = try writer.database.query("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", [table]) {
                ($0.string(0), $0.string(1))
            }
            for (parent, column) in references where ["runs", "tasks", "steps"].contains(parent) {
                naming[table, default: []].insert(column)
            }
        }
        #expect(Set(naming.keys) == ["runs", "steps", "tasks", "task_parents", "attempts", "artifacts", "code_files",
                                     "run_environments", "cache_entries"])
        #expect(naming["runs"] == ["origin_run"] && naming["tasks"] == ["run", "step", "origin_task"])
        for table in naming.keys where table != "runs" {
            #expect(RunDeletion.deletions.contains { $0.hasPrefix("DELETE FROM \(table) ") }, "gc does not delete from \(table)")
        }
        #expect(RunDeletion.deletions.last == "DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?1))")
    }
}
