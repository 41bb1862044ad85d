import FlowBasics
import Glibc
import Testing
@testable import FlowStore

/// System tags, user tags changed after the run, and listing runs by tag, status and user.
@Suite struct RunTagTests {
    private func begin(_ writer: StoreWriter, flow: String = "Movies", tags: [String] = [], user: String? = nil) throws -> RunID {
        try writer.beginRun(NewRun(flow: flow, tags: tags, user: user, pythonVersion: "3.11.7"))
    }

    @Test func aRunIsTaggedWithWhoRanItThenTheUsersTagsOnce() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try begin(writer, tags: ["nightly", "v2", "nightly"])
        let record = try StoreReader(path: store.path).run(run.rawValue)
        #expect(record.user == System.userName)
        #expect(record.tags == ["user:\(System.userName)", "flowspec_version:\(flowspecVersion)", "python_version:3.11.7", "nightly", "v2"])
        #expect(RunTags.user(record.tags) == ["nightly", "v2"])
        #expect(RunTags.system(record.tags).count == 3)
    }

    @Test func theUserIsUserThenLognameThenTheAccountOfTheUid() throws {
        #expect(System.userName { ["USER": "ana", "LOGNAME": "bo"][$0] } == "ana")
        #expect(System.userName { ["USER": "", "LOGNAME": "bo"][$0] } == "bo")
        let entry = getpwuid(getuid())
        #expect(System.userName { _ in nil } == (entry.map { String(cString: $0.pointee.pw_name) } ?? String(getuid())))
    }

    @Test func aTagThatCannotBeAUsersIsRefused() throws {
        let writer = try StoreWriter(path: TemporaryStore().path)
        for tag in ["", "user:eve", "python_version:2.7", "two\nlines", " padded", String(repeating: "x", count: 501)] {
            #expect(throws: StoreError.self) { try begin(writer, tags: [tag]) }
        }
        #expect(RunTags.problem(with: "user:eve")?.contains("system tag") == true)
        #expect(RunTags.problem(with: "team:ml/v2 ✓") == nil)
    }

    @Test func tagsAreAddedAndRemovedButSystemTagsStay() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try begin(writer, tags: ["a"], user: "ana")
        #expect(try writer.addTags(["b", "a", "c"], to: run).suffix(3) == ["a", "b", "c"])
        #expect(try writer.removeTags(["a", "c"], from: run).last == "b")
        #expect(throws: StoreError.self) { try writer.removeTags(["user:ana"], from: run) }
        #expect(throws: StoreError.self) { try writer.removeTags(["b", "zzz"], from: run) }
        #expect(throws: StoreError.self) { try writer.addTags(["ok", "flowspec_version:9"], to: run) }
        #expect(throws: StoreError.self) { try writer.addTags(["x"], to: RunID("20000101-000000-0000")) }
        let tags = try StoreReader(path: store.path).run(run.rawValue).tags
        #expect(tags == ["user:ana", "flowspec_version:\(flowspecVersion)", "python_version:3.11.7", "b"])
    }

    @Test func runsAreListedByAllOfTheirTagsAnyStatusAndAnyUser() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let a = try begin(writer, tags: ["x", "y"], user: "ana")
        let b = try begin(writer, tags: ["x"], user: "bo")
        let c = try begin(writer, flow: "Other", tags: ["y", "x"], user: "ana")
        try writer.finishRun(a, status: .completed)
        try writer.finishRun(b, status: .failed)
        let reader = try StoreReader(path: store.path)
        func ids(_ filter: RunFilter, limit: Int? = nil) throws -> Set<RunID> { Set(try reader.runs(matching: filter, limit: limit).map(\.id)) }
        #expect(try ids(RunFilter(tags: ["x"])) == [a, b, c])
        #expect(try ids(RunFilter(tags: ["x", "y"])) == [a, c])
        #expect(try ids(RunFilter(tags: ["x", "y"], users: ["bo"])).isEmpty)
        #expect(try ids(RunFilter(tags: ["user:ana"])) == [a, c])
        #expect(try ids(RunFilter(users: ["bo", "ana"])) == [a, b, c])
        #expect(try ids(RunFilter(flow: "Movies", users: ["ana"])) == [a])
        #expect(try ids(RunFilter(statuses: [.completed, .failed])) == [a, b])
        #expect(try ids(RunFilter(statuses: [.running])) == [c])
        #expect(try ids(RunFilter(statuses: [.interrupted])).isEmpty)
        #expect(try reader.runs(matching: RunFilter(statuses: [.completed, .failed, .running]), limit: 2).count == 2)
    }

    @Test func aRunWhoseSchedulerIsGoneIsListedAsInterrupted() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try begin(writer)
        try writer.database.run("UPDATE runs SET scheduler_pid = 999999999 WHERE id = ?", [run.rawValue])
        let reader = try StoreReader(path: store.path)
        #expect(try reader.runs(matching: RunFilter(statuses: [.interrupted])).map(\.id) == [run])
        #expect(try reader.runs(matching: RunFilter(statuses: [.running])).isEmpty)
    }
}
