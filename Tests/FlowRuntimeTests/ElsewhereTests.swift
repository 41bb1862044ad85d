import FlowBasics
import FlowGraph
import FlowRuntime
import Testing

/// Steps whose tasks run elsewhere (a cluster): they take none of this machine's workers, and
/// the executor hears when such a step can have no further task.
@Suite struct ElsewhereTests: SchedulerFixture {
    private static let steps = """
          start: {run: 'f.py:items', outputs: items, next: work}
          work: {foreach: items, run: 'f.py:double', args: {x: item}, outputs: y, next: join}
          join: {join: true, run: 'f.py:total', args: {ys: inputs.y}, outputs: total, next: end}
          end: {}
        """

    private func executor() -> FakeExecutor {
        let executor = FakeExecutor()
        executor.delays = ["double": 0.05]
        executor.define("items", []) { _ in .array((0..<6).map { JSONValue.int($0) }) }
        executor.define("double", ["x"]) { args in if case .int(let x)? = args["x"] { .int(2 * x) } else { .null } }
        executor.define("total", ["ys"]) { args in
            guard case .array(let ys)? = args["ys"] else { return .null }
            return .int(ys.reduce(0) { sum, y in if case .int(let y) = y { sum + y } else { sum } })
        }
        return executor
    }

    @Test func tasksThatRunElsewhereTakeNoLocalWorker() async throws {
        let executor = executor()
        var scheduler = Scheduler(plan: try plan(Self.steps), executor: executor, maxWorkers: 1)
        scheduler.resourceLimits.elsewhere = ["work"]
        let outcome = await scheduler.run(params: [:])
        #expect(outcome.status == .completed)
        #expect(executor.mostInFlightPerStep["work"] == 6, "all six at once, with one local worker")
        #expect(try final(outcome, "total", executor) == .int(30))
    }

    @Test func theExecutorHearsOnceWhenAWatchedStepHasNoTaskLeft() async throws {
        let executor = executor()
        executor.watchedSteps = ["work", "join"]
        let outcome = await run(try plan(Self.steps), executor)
        #expect(outcome.status == .completed)
        #expect(executor.drained.map(\.step) == ["work", "join"])
        let beforeWork = try #require(executor.drained.first?.callsBefore)
        #expect(Set(beforeWork) == ["start", "work/0", "work/1", "work/2", "work/3", "work/4", "work/5"],
                "told after its last task, before the join ran")
    }
}
