import FlowBasics
import FlowRuntime
import Synchronization
import Testing

/// Observers are told which item each foreach task processes, once, before it starts.
@Suite struct ForeachItemTests: SchedulerFixture {
    final class Items: RunObserver, @unchecked Sendable {
        let told = Mutex<[String: ValueSource]>([:])
        let started = Mutex<[String]>([])
        func taskQueued(_ key: TaskKey) {}
        func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) {
            let isForeach = key.step == "per" || key.step == "inner"
            started.withLock { _ = $0.append(key.description) }
            if isForeach { #expect(told.withLock { $0[key.description] } != nil, "\(key) told its item first") }
        }
        func taskFinished(_ key: TaskKey, _ result: TaskResult) {}
        func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {}
        func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {}
        func taskItem(_ key: TaskKey, _ item: ValueSource) {
            told.withLock { #expect($0.updateValue(item, forKey: key.description) == nil, "\(key) told once") }
        }
    }

    @Test func eachForeachTaskIsToldItsItemAndNoOtherTask() async throws {
        let executor = FakeExecutor()
        executor.define("genres", []) { _ in .array([.array([.int(1), .int(2)]), .array([.int(3)])]) }
        executor.define("echo", ["item"]) { args in args["item"] ?? .null }
        let plan = try plan("""
              start: {run: 'f.py:genres', outputs: genres, next: per}
              per: {foreach: genres, run: 'f.py:echo', outputs: row, next: inner}
              inner: {foreach: row, run: 'f.py:echo', outputs: cell, next: close}
              close: {join: true, next: after}
              after: {join: true, next: end}
              end: {}
            """)
        let items = Items()
        let outcome = await Scheduler(plan: plan, executor: executor, maxWorkers: 2, maxSplits: 100).run(params: [:], observer: items)
        #expect(outcome.status == .completed)
        let told = items.told.withLock { $0 }
        #expect(Set(told.keys) == ["per/0", "per/1", "inner/0.0", "inner/0.1", "inner/1.0"])
        #expect(try executor.value(try #require(told["per/1"])) == .array([.int(3)]))
        #expect(try executor.value(try #require(told["inner/0.1"])) == .int(2))
    }
}
