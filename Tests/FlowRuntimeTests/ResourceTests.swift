import FlowBasics
import FlowGraph
@testable import FlowRuntime
import FlowSpec
import Foundation
import Testing

/// `resources` and `concurrency` with a fake executor: what ran at once never exceeds the
/// budget, tasks that fit are not held up by one that does not, and one that never fits is
/// refused before anything runs.
@Suite struct ResourceTests {
    private static let gib: Int64 = 1 << 30

    private func plan(_ steps: String, defaults: String = "") throws -> ExecutionPlan {
        let text = "flowspec: 1\nname: R\n\(defaults)steps:\n\(steps)\n"
        let loaded = SpecLoader.load(text: text, file: "r.yaml")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let spec = try #require(loaded.spec)
        return try planning(spec)
    }

    /// A foreach of `count` tasks of `work`, with `settings` on the foreach step.
    private func fanOut(_ count: Int, _ settings: String) throws -> ExecutionPlan {
        try plan("""
              start: {run: 'f.py:items\(count)', outputs: items, next: each}
              each: {foreach: items, run: 'f.py:work', \(settings), next: join}
              join: {join: true, next: end}
              end: {}
            """)
    }

    private func executor(delay: Double = 0.02) -> FakeExecutor {
        let executor = FakeExecutor()
        executor.delay = delay
        for count in [3, 6, 40] {
            executor.define("items\(count)", []) { _ in .array((0..<count).map { .int($0) }) }
        }
        executor.define("work", []) { _ in .null }
        return executor
    }

    private func run(_ plan: ExecutionPlan, _ executor: FakeExecutor, maxWorkers: Int = 4,
                     cpu: Double = .infinity, memory: Int64 = .max) async -> RunOutcome {
        var scheduler = Scheduler(plan: plan, executor: executor, maxWorkers: maxWorkers)
        scheduler.resourceLimits = ResourceLimits(cpu: cpu, memory: memory)
        return await scheduler.run(params: [:])
    }

    @Test func theCPUOfRunningTasksStaysWithinTheLimit() async throws {
        let executor = executor()
        let outcome = await run(try fanOut(6, "resources: {cpu: 2}"), executor, cpu: 5)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.mostHeld.cpu == 4, "two tasks of 2 cpu fit in 5, a third does not")
        #expect(executor.mostInFlight == 2)
    }

    @Test func theMemoryOfRunningTasksStaysWithinTheLimit() async throws {
        let executor = executor()
        let outcome = await run(try fanOut(6, "resources: {memory: 3G, cpu: 0.5}"), executor, cpu: 4, memory: 8 * Self.gib)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.mostHeld.memory == 6 * Self.gib)
        #expect(executor.mostInFlight == 2)
    }

    @Test func aTaskWithoutResourcesCountsAsOneCPU() async throws {
        let executor = executor()
        _ = await run(try fanOut(6, "outputs: done"), executor, cpu: 3)
        #expect(executor.mostInFlight == 3, "--max-workers is 4, but only 3 cpu")
        #expect(executor.mostHeld.cpu == 3)
    }

    @Test func defaultsSetResourcesAndConcurrencyForEveryStep() async throws {
        let executor = executor()
        let plan = try plan("""
              start: {run: 'f.py:items6', outputs: items, next: each}
              each: {foreach: items, run: 'f.py:work', next: join}
              join: {join: true, next: end}
              end: {}
            """, defaults: "defaults: {resources: {cpu: 2}, concurrency: 3}\n")
        _ = await run(plan, executor, maxWorkers: 8, cpu: 16)
        #expect(executor.mostInFlightPerStep["each"] == 3)
        let budgeted = self.executor()
        _ = await run(plan, budgeted, maxWorkers: 8, cpu: 4)
        #expect(budgeted.mostInFlightPerStep["each"] == 2)
    }

    @Test func concurrencyBoundsOneStepAndNotTheOthers() async throws {
        let executor = executor()
        let outcome = await run(try plan("""
              start: {run: 'f.py:items6', outputs: items, next: [a, b]}
              a: {foreach: items, run: 'f.py:work', concurrency: 1, next: a_join}
              a_join: {join: true, next: all}
              b: {foreach: items, run: 'f.py:work', next: b_join}
              b_join: {join: true, next: all}
              all: {join: true, next: end}
              end: {}
            """), executor, maxWorkers: 4)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.mostInFlightPerStep["a"] == 1)
        #expect(executor.mostInFlightPerStep["b"] == 3, "b takes the workers a may not use")
    }

    @Test func concurrencyCountsRetries() async throws {
        let executor = executor()
        let flaky = RetryTests.Flaky(failures: 3)
        executor.define("flaky", []) { _ in try flaky.call() }
        let outcome = await run(try plan("""
              start: {run: 'f.py:items6', outputs: items, next: each}
              each: {foreach: items, run: 'f.py:flaky', concurrency: 2, retry: {times: 2, delay: 0.01s}, next: join}
              join: {join: true, next: end}
              end: {}
            """), executor, maxWorkers: 4)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.calls.filter { $0.hasPrefix("each") }.count == 9)
        #expect(executor.mostInFlightPerStep["each"] == 2)
    }

    /// `big` asks for both cpus while `hold` (slow) holds one and the foreach `small` fans out
    /// over `items` (a function of the fake executor) beside it, 2 cpus in all.
    private func bigBesideSmallForeach(items: String) async throws -> (FakeExecutor, RunOutcome) {
        let executor = executor(delay: 0.005)
        executor.define("hold", []) { _ in .null }
        executor.delays["hold"] = 0.4
        let outcome = await run(try plan("""
              start: {run: 'f.py:\(items)', outputs: items, next: [hold, big, small]}
              hold: {run: 'f.py:hold', next: all}
              big: {run: 'f.py:work', resources: {cpu: 2}, next: all}
              small: {foreach: items, run: 'f.py:work', next: small_join}
              small_join: {join: true, next: all}
              all: {join: true, next: end}
              end: {}
            """), executor, maxWorkers: 2, cpu: 2)
        return (executor, outcome)
    }

    @Test func tasksThatFitGoAheadOfOneThatDoesNot() async throws {
        let (executor, outcome) = try await bigBesideSmallForeach(items: "items3")
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.mostHeld.cpu <= 2)
        #expect(executor.calls == ["start", "hold", "small/0", "small/1", "small/2", "big"],
                "the small tasks run beside 'hold' while 'big' waits for both cpus")
    }

    @Test func aBigTaskIsNotStarvedByAStreamOfSmallOnes() async throws {
        let (executor, outcome) = try await bigBesideSmallForeach(items: "items40")
        #expect(outcome.status == .completed, "\(outcome.failures)")
        let big = try #require(executor.calls.firstIndex(of: "big"))
        #expect(big == 2 + WaitingTasks<Int>.patience, "\(executor.calls)")
    }

    @Test func aTaskThatCouldNeverFitFailsTheRunBeforeAnythingRuns() async throws {
        let executor = executor()
        let outcome = await run(try plan("""
              start: {run: 'f.py:work', next: train}
              train: {run: 'f.py:work', resources: {cpu: 4, memory: 16G}, next: end}
              end: {run: 'f.py:work', resources: {memory: 512}}
            """), executor, cpu: 2, memory: 8 * Self.gib)
        #expect(outcome.status == .failed)
        #expect(executor.calls.isEmpty)
        #expect(outcome.failures.map(\.failure.message) == [
            "step 'train' asks for cpu 4, more than the 2 the run may use, so it could never start",
            "step 'train' asks for memory 16G, more than the 8G the run may use, so it could never start",
        ])
    }

    @Test func requestsCarryWhatTheStepAsksFor() async throws {
        let plan = try plan("  start: {run: 'f.py:work', resources: {cpu: 0.5, memory: 2G, gpu: 1}}")
        let step = try #require(plan["start"])
        #expect(step.needs == TaskNeeds(cpu: 0.5, memory: 2 * Self.gib, gpu: 1))
        #expect(MemorySize(bytes: 8_000_000_000).description == "7.5G")
        #expect(MemorySize(bytes: 512 << 20).description == "512M")
    }
}
