import FlowBasics
import Testing
@testable import FlowStore

/// The item a foreach task processed (`tasks.item`) is kept with the task, and an older store
/// without the column reads as having none.
@Suite struct TaskItemTests {
    private let first = #"{"blob":"ab","path":[["index",0]]}"#

    @Test func aTasksItemReadsBackForStartedAndReusedTasks() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "F"))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start")
        try writer.recordStep(run: run, name: "each", position: 1, kind: "foreach")
        let start = try writer.startTask(run: run, step: "start")
        let each = try writer.startTask(run: run, step: "each", index: [0], parents: [start.task], item: first)
        let reused = try writer.reuseTask(run: run, step: "each", index: [1], parents: [start.task], item: "{\"literal\":2.0}", origin: each.task)
        let reader = try StoreReader(path: store.path)
        #expect(try reader.task(start.task).item == nil)
        #expect(try reader.task(each.task).item == first)
        #expect(try reader.tasks(of: run, step: "each").map(\.item) == [first, "{\"literal\":2.0}"])
        #expect(try reader.task(reused).item == "{\"literal\":2.0}")
    }

    @Test func aStoreMadeBeforeTasksKeptItemsReadsWithoutThemAndGetsTheColumnFromItsNextWriter() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "F"))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start")
        let task = try writer.startTask(run: run, step: "start").task
        try writer.database.execute("ALTER TABLE tasks DROP COLUMN item")
        #expect(try StoreReader(path: store.path).task(task).item == nil)
        let again = try StoreWriter(path: store.path)
        let later = try again.startTask(run: run, step: "start", iteration: 1, item: first).task
        #expect(try StoreReader(path: store.path).task(later).item == first)
    }
}
