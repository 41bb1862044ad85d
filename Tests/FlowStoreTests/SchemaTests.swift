import Testing
@testable import FlowStore

@Suite struct SchemaTests {
    @Test func createsTheStoreFoldersAndDatabase() throws {
        let store = TemporaryStore()
        _ = try StoreWriter(path: store.path)
        #expect(store.files(in: "").contains("flowspec.db"))
        #expect(store.files(in: "").contains("blobs"))
        #expect(store.files(in: "").contains("tmp"))

        let reader = try StoreReader(path: store.path)
        let version = try reader.database.queryFirst("SELECT value FROM meta WHERE key = 'format_version'") { $0.string(0) }
        #expect(version == "1")
        let mode = try reader.database.queryFirst("PRAGMA journal_mode") { $0.string(0) }
        #expect(mode == "wal")
        let tables = try reader.database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        #expect(tables == ["artifacts", "attempts", "cache_entries", "code_files", "flows", "meta", "run_environments", "runs", "steps", "task_parents", "tasks"])
    }

    @Test func reopeningAStoreKeepsIt() throws {
        let store = TemporaryStore()
        let run = try StoreWriter(path: store.path).beginRun(NewRun(flow: "Again"))
        _ = try StoreWriter(path: store.path)
        #expect(try StoreReader(path: store.path).run(run.rawValue).flow == "Again")
    }

    @Test func aReaderNeverCreatesAStore() throws {
        let store = TemporaryStore()
        #expect(throws: StoreError.self) { try StoreReader(path: store.path) }
        #expect(store.files(in: "").isEmpty)
    }

    @Test func refusesAnotherFormatVersion() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        try writer.database.run("UPDATE meta SET value = '2' WHERE key = 'format_version'")
        do {
            _ = try StoreReader(path: store.path)
            Issue.record("a version 2 store was opened")
        } catch let error as StoreError {
            #expect(error.description.contains("format version 2"))
        }
        #expect(throws: StoreError.self) { try StoreWriter(path: store.path) }
    }

    @Test func aStoreMadeBeforeSpilledOutputIsReadAndGetsTheColumnsFromItsNextWriter() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Old"))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start")
        try writer.recordStep(run: run, name: "end", position: 1, kind: "end", isEnd: true)
        let attempt = try writer.startTask(run: run, step: "start")
        try writer.finishAttempt(attempt, .completed([:], stdout: "hello\n"))
        try writer.database.execute("ALTER TABLE attempts DROP COLUMN stdout_blob; ALTER TABLE attempts DROP COLUMN stderr_blob")
        #expect(try StoreReader(path: store.path).attempts(of: attempt.task).map(\.stdout) == ["hello\n"])
        let later = try StoreWriter(path: store.path)
        let big = String(repeating: "y", count: StoreWriter.largestInlineOutput + 1)
        let second = try later.startTask(run: run, step: "end")
        try later.finishAttempt(second, .failed(AttemptError(kind: "exception", message: "m"), stdout: big))
        let reader = try StoreReader(path: store.path)
        #expect(try reader.attempts(of: second.task).map(\.stdout) == [big])
        let row = try reader.database.queryFirst("SELECT stdout, stdout_blob FROM attempts WHERE task = ?", [second.task.rawValue]) {
            ($0.string(0), $0.optionalString(1))
        }
        #expect(row?.0 == "" && row?.1 != nil, "kept in a blob, not in the row")
    }

    @Test func aStoreMadeBeforeTaskKeysIsReadAndGetsTheColumnFromItsNextWriter() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Old"))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start")
        try writer.recordStep(run: run, name: "end", position: 1, kind: "end", isEnd: true)
        let first = try writer.startTask(run: run, step: "start")
        try writer.database.execute("ALTER TABLE tasks DROP COLUMN cache_key")
        #expect(try StoreReader(path: store.path).task(first.task).cacheKey == nil)
        let key = String(repeating: "ab", count: 32)
        let second = try StoreWriter(path: store.path).startTask(run: run, step: "end", cacheKey: key)
        let reader = try StoreReader(path: store.path)
        #expect(try reader.task(second.task).cacheKey == key)
        #expect(try reader.task(first.task).cacheKey == nil)
    }

    @Test func constraintsRejectUnknownStatuses() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "F"))
        do {
            try writer.database.run("UPDATE runs SET status = 'done' WHERE id = ?", [run.rawValue])
            Issue.record("an unknown status was stored")
        } catch let error as DatabaseError {
            #expect(error.isConstraint)
            #expect(error.description.contains("CHECK constraint failed"))
        }
    }

    @Test func databaseErrorsCarrySQLitesMessage() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        do {
            try writer.database.execute("SELEC 1")
            Issue.record("bad SQL ran")
        } catch let error as DatabaseError {
            #expect(error.message.contains("syntax error"))
            #expect(error.sql == "SELEC 1")
        }
    }
}
