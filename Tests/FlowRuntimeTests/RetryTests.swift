import FlowBasics
import FlowGraph
@testable import FlowRuntime
import FlowSpec
import Foundation
import Testing

@Suite struct RetryTests {
    /// Fails the first `failures` calls, then returns 1.
    final class Flaky: @unchecked Sendable {
        private let lock = NSLock()
        private var calls = 0
        let failures: Int

        init(failures: Int) { self.failures = failures }

        func call() throws -> JSONValue {
            lock.lock()
            defer { lock.unlock() }
            calls += 1
            if calls <= failures { throw FakeExecutor.Raised(message: "flaky \(calls)") }
            return .int(1)
        }
    }

    private func outcome(retry: String, failures: Int, executor: FakeExecutor = FakeExecutor()) async throws -> RunOutcome {
        let flaky = Flaky(failures: failures)
        executor.define("flaky", []) { _ in try flaky.call() }
        let text = "flowspec: 1\nname: R\nsteps:\n  start: {run: 'f.py:flaky', retry: \(retry), outputs: x}\n"
        let spec = try #require(SpecLoader.load(text: text, file: "r.yaml").spec)
        let plan = try planning(spec)
        return await Scheduler(plan: plan, executor: executor, maxWorkers: 1).run(params: [:])
    }

    @Test func retriesAnExceptionAsOftenAsAllowed() async throws {
        let executor = FakeExecutor()
        let passed = try await outcome(retry: "2", failures: 2, executor: executor)
        #expect(passed.status == .completed)
        #expect(executor.calls == ["start", "start", "start"])
        let failed = try await outcome(retry: "1", failures: 2)
        #expect(failed.status == .failed)
        #expect(failed.failures.first?.failure.message == "flaky 2")
    }

    @Test func waitsTheRetryDelay() async throws {
        let started = Date()
        let outcome = try await outcome(retry: "{times: 1, delay: 0.3s}", failures: 1)
        #expect(outcome.status == .completed)
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test func doesNotRetryABindingFailure() async throws {
        let executor = FakeExecutor()
        executor.define("needs", ["missing"]) { _ in .null }
        let text = "flowspec: 1\nname: R\nsteps:\n  start: {run: 'f.py:needs', retry: 3}\n"
        let spec = try #require(SpecLoader.load(text: text, file: "r.yaml").spec)
        let plan = try planning(spec)
        let outcome = await Scheduler(plan: plan, executor: executor, maxWorkers: 1).run(params: [:])
        #expect(outcome.status == .failed)
        #expect(executor.calls == ["start"])
    }

    @Test func growsDelaysByBackoffUpToTheCapWithJitter() {
        var policy = RetryPolicy(times: 5)
        policy.delay = Duration(seconds: 2)
        policy.backoff = 2
        policy.maxDelay = Duration(seconds: 5)
        #expect(RetryDelay.seconds(before: 1, policy: policy) == 0)
        #expect(RetryDelay.seconds(before: 2, policy: policy) == 2)
        #expect(RetryDelay.seconds(before: 3, policy: policy) == 4)
        #expect(RetryDelay.seconds(before: 4, policy: policy) == 5)
        policy.jitter = true
        #expect(RetryDelay.seconds(before: 3, policy: policy, random: { 0.5 }) == 2)
    }

    @Test func catchStoresTheErrorAndGoesOnWithNoneOutputs() async throws {
        let executor = FakeExecutor()
        executor.define("boom", []) { _ in throw FakeExecutor.Raised(message: "no network") }
        executor.define("after", ["x", "err"]) { args in .array([args["x"] ?? .string("missing"), args["err"] ?? .null]) }
        executor.define("fine", []) { _ in .int(1) }
        let text = """
            flowspec: 1
            name: C
            steps:
              start: {run: 'f.py:boom', outputs: x, catch: err, retry: 1, next: mid}
              mid: {run: 'f.py:fine', outputs: y, catch: err2, next: end}
              end: {run: 'f.py:after', outputs: seen}
            """
        let spec = try #require(SpecLoader.load(text: text, file: "c.yaml").spec)
        let plan = try planning(spec)
        let outcome = await Scheduler(plan: plan, executor: executor, maxWorkers: 1).run(params: [:])
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.calls == ["start", "start", "mid", "end"], "retried first, then caught")
        let seen = try executor.value(try #require(outcome.finalArtifacts["seen"]))
        #expect(seen == .array([.null, .object(["type": .string("ValueError"), "message": .string("no network"), "traceback": .string("")])]))
        #expect(try executor.value(try #require(outcome.finalArtifacts["err2"])) == .null, "on success the catch name holds None")
    }
}
