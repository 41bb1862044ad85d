import FlowBasics
@testable import FlowGraph
import FlowRuntime
import FlowSpec
import Testing

/// Switches and switch loops inside branches and foreaches, and the check that a run which
/// drains before its last step ran fails instead of completing.
@Suite struct SchedulerNestingTests: SchedulerFixture {
    /// Steps that keep a trail of where the run went.
    private func trailing() -> FakeExecutor {
        let executor = FakeExecutor()
        executor.define("begin", []) { _ in .array([.string("start")]) }
        executor.define("visit", ["trail", "label"]) { args in
            guard case .array(let trail)? = args["trail"], let label = args["label"] else { return .null }
            return .array(trail + [label])
        }
        executor.define("gather", ["inputs"]) { args in
            guard case .array(let branches)? = args["inputs"] else { return .null }
            return .array(branches.map { if case .object(let fields) = $0 { fields["trail"] ?? .null } else { .null } })
        }
        executor.define("zero", []) { _ in .int(0) }
        executor.define("tick", ["n", "limit"]) { args in
            guard case .int(let n)? = args["n"], case .int(let limit)? = args["limit"] else { return .null }
            return .array([.int(n + 1), .bool(n + 1 < limit)])
        }
        return executor
    }

    @Test(arguments: ["c", "d"])
    func aSwitchInsideABranchJoinsWhicheverCaseRan(route: String) async throws {
        let executor = trailing()
        let outcome = await run(try plan("""
              start: {run: 'f.py:begin', outputs: trail, next: [a, b]}
              a: {run: 'f.py:visit', with: {label: a}, outputs: trail, switch: {on: route, cases: {c: c, d: d}}}
              b: {run: 'f.py:visit', with: {label: b}, outputs: trail, next: join}
              c: {run: 'f.py:visit', with: {label: c}, outputs: trail, next: join}
              d: {run: 'f.py:visit', with: {label: d}, outputs: trail, next: join}
              join: {join: true, run: 'f.py:gather', outputs: trail, next: end}
              end: {}
            """, params: "params: {route: {type: str, default: c}}\n"), executor, params: ["route": .string(route)])
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "trail", executor) == .array([
            .array(["start", "a", route].map(JSONValue.string)), .array(["start", "b"].map(JSONValue.string))]))
        guard case .namespaces(_, let steps)? = executor.requests["join"]?.available["inputs"] else {
            Issue.record("the join's `inputs` bind by name")
            return
        }
        #expect(steps == [route, "b"], "each branch is named by the step it ended at")
    }

    @Test func aLoopInsideAForeachJoinsEveryItemHoweverOftenItLooped() async throws {
        let executor = trailing()
        executor.define("items", []) { _ in .array([.int(1), .int(2), .int(3)]) }
        executor.define("ns", ["ns"]) { args in args["ns"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:items', outputs: xs, next: each}
              each: {foreach: xs, run: 'f.py:zero', outputs: n, next: body}
              body: {run: 'f.py:tick', args: {limit: item}, outputs: [n, again], max_iterations: 5, switch: {on: again, cases: {true: body, false: exit}}}
              exit: {next: join}
              join: {join: true, run: 'f.py:ns', args: {ns: inputs.n}, outputs: ns, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "ns", executor) == .array([.int(1), .int(2), .int(3)]))
        #expect(executor.calls.filter { $0.hasPrefix("body") }.count == 6)
        #expect(executor.calls.filter { $0.hasPrefix("join") } == ["join"], "one join, outside the loop: \(executor.calls)")
    }

    @Test func aLoopInsideABranchJoinsTheBranchThatDidNotLoop() async throws {
        let executor = trailing()
        let outcome = await run(try plan("""
              start: {run: 'f.py:zero', outputs: n, next: [left, right]}
              left: {run: 'f.py:tick', with: {limit: 3}, outputs: [n, again], max_iterations: 5, switch: {on: again, cases: {true: left, false: join}}}
              right: {next: join}
              join: {join: true, run: 'f.py:gather', next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.calls == ["start", "left/#0", "left/#1", "left/#2", "join"])
    }

    /// `max_iterations` counts the passes of one entry into the loop, not every pass of the run:
    /// the inner loop runs three passes each of the three times the outer loop enters it.
    @Test func maxIterationsCountsTheLoopsOwnPasses() async throws {
        let executor = trailing()
        let outcome = await run(try plan("""
              start: {run: 'f.py:zero', outputs: outer, next: enter}
              enter: {run: 'f.py:zero', outputs: inner, next: spin}
              spin: {run: 'f.py:tick', args: {n: inner}, with: {limit: 3}, outputs: [inner, again], max_iterations: 3, switch: {on: again, cases: {true: spin, false: round}}}
              round: {run: 'f.py:tick', args: {n: outer}, with: {limit: 3}, outputs: [outer, again], max_iterations: 3, switch: {on: again, cases: {true: enter, false: end}}}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(executor.calls.filter { $0.hasPrefix("spin") }.count == 9)
        #expect(Set(executor.calls).count == executor.calls.count, "no task key twice: \(executor.calls)")
        #expect(try final(outcome, "outer", executor) == .int(3))
    }

    @Test func maxIterationsInDefaultsBoundsEveryLoop() async throws {
        let executor = trailing()
        // Without a bound the loop would stop by itself after 10 passes.
        let outcome = await run(try plan("""
              start: {run: 'f.py:zero', outputs: n, next: train}
              train: {run: 'f.py:tick', with: {limit: 10}, outputs: [n, again], switch: {on: again, cases: {true: train, false: end}}}
              end: {}
            """, defaults: "defaults: {max_iterations: 3}\n"), executor)
        #expect(outcome.status == .failed)
        #expect(outcome.failures.map(\.failure.kind) == [.loop])
        #expect(executor.calls == ["start", "train/#0", "train/#1", "train/#2"])
    }

    // MARK: - Draining before the end

    /// A join whose plan waits for a branch that no step leads to: the run drains with the
    /// join never run, and fails naming it and the branch it waited for.
    @Test func aRunThatDrainsWithAJoinWaitingFails() async throws {
        let executor = trailing()
        var plan = try plan("""
              start: {run: 'f.py:begin', outputs: trail, next: [a, b]}
              a: {next: join}
              b: {next: join}
              join: {join: true, next: end}
              end: {}
            """)
        var join = try #require(plan["join"])
        join.join = .branch(opener: "start", branches: [["a"], ["b"], ["ghost"]])
        plan.steps["join"] = join
        let outcome = await run(plan, executor)
        #expect(outcome.status == .failed)
        #expect(outcome.failures.map(\.key.description) == ["join", "end"])
        #expect(outcome.failures.allSatisfy { $0.failure.kind == .unreached })
        let message = try #require(outcome.failures.first?.failure.message)
        #expect(message.contains("ending at 'a' and 'b' reached it") && message.contains("'ghost' never did"), "\(message)")
    }

    @Test func aRunThatDrainsBeforeItsLastStepFails() async throws {
        let executor = trailing()
        var plan = try plan("""
              start: {run: 'f.py:begin', outputs: trail, next: middle}
              middle: {next: end}
              end: {}
            """)
        var start = try #require(plan["start"])
        (start.next, start.opensBranches) = ([], false)
        plan.steps["start"] = start
        let outcome = await run(plan, executor)
        #expect(outcome.status == .failed)
        #expect(outcome.failures.map(\.key.description) == ["end"])
        #expect(outcome.failures.first?.failure.message.contains("last step 'end'") == true)
        #expect(outcome.finalArtifacts.isEmpty)
    }
}
