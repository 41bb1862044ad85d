import Synchronization
import FlowBasics
import FlowGraph
@testable import FlowRuntime
import FlowSpec
import Testing

/// The scheduler on every graph shape, with a fake executor and no Python.
@Suite struct SchedulerTests: SchedulerFixture {
    @Test func runsALinearFlow() async throws {
        let executor = FakeExecutor()
        executor.define("load", ["n"]) { args in .int((args["n"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0) * 2) }
        executor.define("add", ["x", "y"]) { args in
            if case .int(let x)? = args["x"], case .int(let y)? = args["y"] { return .int(x + y) }
            return .null
        }
        let outcome = await run(try plan("""
              start: {run: 'f.py:load', outputs: x, next: middle}
              middle: {run: 'f.py:add', with: {y: 10}, outputs: x, next: end}
              end: {run: 'f.py:add', args: {y: n}}
            """, params: "params: {n: {type: int, default: 1}}\n"), executor, params: ["n": .int(5)])
        #expect(outcome.status == .completed)
        #expect(try final(outcome, "x", executor) == .int(20))
        #expect(try final(outcome, "end", executor) == .int(25))
        #expect(executor.calls == ["start", "middle", "end"])
    }

    @Test func joinsBranchesMergingEqualValuesAndListingTheOthers() async throws {
        let executor = FakeExecutor()
        executor.define("zero", []) { _ in .int(0) }
        executor.define("same", []) { _ in .string("shared") }
        executor.define("one", []) { _ in .int(1) }
        executor.define("two", []) { _ in .int(2) }
        executor.define("pick", ["scores", "b_score", "tag"]) { args in
            .array([args["scores"] ?? .null, args["b_score"] ?? .null, args["tag"] ?? .null])
        }
        let outcome = await run(try plan("""
              start: {run: 'f.py:zero', outputs: base, next: [a, b]}
              a: {run: 'f.py:one', outputs: score, next: a2}
              a2: {run: 'f.py:same', outputs: tag, next: join}
              b: {run: 'f.py:two', outputs: score, next: b2}
              b2: {run: 'f.py:same', outputs: tag, next: join}
              join: {join: true, run: 'f.py:pick', args: {scores: inputs.score, b_score: inputs.b2.score}, outputs: picked, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "picked", executor) == .array([.array([.int(1), .int(2)]), .int(2), .string("shared")]))
        #expect(outcome.finalArtifacts["score"] == nil, "differing values are visible only through inputs")
        #expect(try final(outcome, "base", executor) == .int(0))
    }

    /// The opener's own `next` may name the join: that branch ends at the opener.
    @Test func joinsABranchThatGoesFromTheOpenerStraightToTheJoin() async throws {
        let executor = FakeExecutor()
        executor.define("zero", []) { _ in .int(0) }
        executor.define("one", []) { _ in .int(1) }
        executor.define("pick", ["xs"]) { args in args["xs"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:zero', outputs: x, next: [a, join]}
              a: {run: 'f.py:one', outputs: x, next: join}
              join: {join: true, run: 'f.py:pick', args: {xs: inputs.x}, outputs: xs, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "xs", executor) == .array([.int(1), .int(0)]), "in branch order: a, then start")
        #expect(executor.calls.filter { $0 == "join" }.count == 1)
    }

    @Test func fansOutOverAForeachAndJoinsInItemOrder() async throws {
        let executor = FakeExecutor()
        executor.delay = 0.005
        executor.define("genres", []) { _ in .array(["a", "b", "c", "d"].map(JSONValue.string)) }
        executor.define("stat", ["item", "index"]) { args in
            if case .string(let genre)? = args["item"], case .int(let index)? = args["index"] { return .string("\(index):\(genre)") }
            return .null
        }
        executor.define("combine", ["stats"]) { args in args["stats"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:genres', outputs: genres, next: per}
              per: {foreach: genres, run: 'f.py:stat', outputs: stat, next: join}
              join: {join: true, run: 'f.py:combine', args: {stats: inputs.stat}, outputs: table, next: end}
              end: {}
            """), executor, maxWorkers: 2)
        #expect(outcome.status == .completed)
        #expect(try final(outcome, "table", executor) == .array(["0:a", "1:b", "2:c", "3:d"].map(JSONValue.string)))
        #expect(executor.mostInFlight == 2, "at most --max-workers tasks at once, and that many")
        #expect(Set(executor.calls) == ["start", "per/0", "per/1", "per/2", "per/3", "join"])
    }

    @Test func nestsForeachThreeDeepWithEnclosingItems() async throws {
        let executor = FakeExecutor()
        executor.define("outer", []) { _ in .array([.int(1), .int(2)]) }
        executor.define("lists", ["item"]) { _ in .array([.int(10), .int(20)]) }
        executor.define("leaf", ["a", "b", "c"]) { args in
            if case .int(let a)? = args["a"], case .int(let b)? = args["b"], case .int(let c)? = args["c"] { return .int(a * 100 + b + c) }
            return .null
        }
        executor.define("gather", ["xs"]) { args in args["xs"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:outer', outputs: xs, next: l1}
              l1: {foreach: xs, run: 'f.py:lists', outputs: ys, next: l2}
              l2: {foreach: ys, run: 'f.py:lists', outputs: zs, next: l3}
              l3: {foreach: zs, run: 'f.py:leaf', args: {a: l1.item, b: l2.item, c: item}, outputs: v, next: j3}
              j3: {join: true, run: 'f.py:gather', args: {xs: inputs.v}, outputs: v3, next: j2}
              j2: {join: true, run: 'f.py:gather', args: {xs: inputs.v3}, outputs: v2, next: j1}
              j1: {join: true, run: 'f.py:gather', args: {xs: inputs.v2}, outputs: all, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        let expected: JSONValue = .array([1, 2].map { a in .array([10, 20].map { b in .array([10, 20].map { c in .int(a * 100 + b + c) }) }) })
        #expect(try final(outcome, "all", executor) == expected)
        #expect(outcome.tasksRun == 1 + 2 + 4 + 8 + 4 + 2 + 1 + 1)
    }

    @Test func aValueNotIndexedAsItIteratesFansOutOverTheListOfItsItems() async throws {
        let executor = FakeExecutor()
        executor.define("table", []) { _ in .object(["b": .int(1), "a": .int(2)]) }
        executor.define("echo", ["item"]) { args in args["item"] ?? .null }
        executor.define("all", ["xs"]) { args in args["xs"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:table', outputs: table, next: each}
              each: {foreach: table, run: 'f.py:echo', outputs: key, next: join}
              join: {join: true, run: 'f.py:all', args: {xs: inputs.key}, outputs: keys, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "keys", executor) == .array([.string("a"), .string("b")]), "the fake lists an object's keys sorted")
    }

    @Test func anEmptyForeachRunsTheJoinWithEmptyInputs() async throws {
        let executor = FakeExecutor()
        executor.define("none", []) { _ in .array([]) }
        executor.define("never", ["item"]) { _ in .null }
        executor.define("count", ["xs"]) { args in if case .array(let xs)? = args["xs"] { .int(xs.count) } else { .null } }
        let outcome = await run(try plan("""
              start: {run: 'f.py:none', outputs: xs, next: each}
              each: {foreach: xs, run: 'f.py:never', outputs: y, next: join}
              join: {join: true, run: 'f.py:count', args: {xs: inputs.y}, outputs: n, next: end}
              end: {}
            """), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "n", executor) == .int(0))
        #expect(!executor.calls.contains { $0.hasPrefix("each") })
    }

    @Test func switchesOnAValueAndFallsBackToTheDefault() async throws {
        for (kind, expected) in [("small", "quick"), ("large", "full"), ("odd", "fallback")] {
            let executor = FakeExecutor()
            executor.define("size", ["kind"]) { args in args["kind"] ?? .null }
            executor.define("quick", []) { _ in .string("quick") }
            executor.define("full", []) { _ in .string("full") }
            executor.define("fallback", []) { _ in .string("fallback") }
            let outcome = await run(try plan("""
                  start: {run: 'f.py:size', outputs: size, switch: {on: size, cases: {small: quick, large: full}, default: other}}
                  quick: {run: 'f.py:quick', outputs: model, next: end}
                  full: {run: 'f.py:full', outputs: model, next: end}
                  other: {run: 'f.py:fallback', outputs: model, next: end}
                  end: {}
                """, params: "params: {kind: {type: str, default: small}}\n"), executor, params: ["kind": .string(kind)])
            #expect(try final(outcome, "model", executor) == .string(expected))
        }
    }

    @Test func loopsUntilTheSwitchSaysDoneWithinMaxIterations() async throws {
        let executor = FakeExecutor()
        executor.define("zero", []) { _ in .int(0) }
        executor.define("step", ["count"]) { args in
            guard case .int(let count)? = args["count"] else { return .null }
            return .array([.int(count + 1), .bool(count + 1 >= 3)])
        }
        let spec = """
              start: {run: 'f.py:zero', outputs: count, next: train}
              train: {run: 'f.py:step', outputs: [count, done], switch: {on: done, cases: {true: end, false: train}}, max_iterations: MAX}
              end: {}
            """
        let outcome = await run(try plan(spec.replacingOccurrences(of: "MAX", with: "5")), executor)
        #expect(outcome.status == .completed, "\(outcome.failures)")
        #expect(try final(outcome, "count", executor) == .int(3))
        #expect(executor.calls == ["start", "train/#0", "train/#1", "train/#2"])

        let bounded = FakeExecutor()
        bounded.define("zero", []) { _ in .int(0) }
        bounded.define("step", ["count"]) { _ in .array([.int(0), .bool(false)]) }
        let stopped = await run(try plan(spec.replacingOccurrences(of: "MAX", with: "2")), bounded)
        #expect(stopped.status == .failed)
        #expect(stopped.failures.first?.failure.kind == .loop)
        #expect(bounded.calls == ["start", "train/#0", "train/#1"])
    }

    @Test func aFailureStopsTheRunAndNamesTheTask() async throws {
        let executor = FakeExecutor()
        executor.define("rows", []) { _ in .array([.int(1), .int(2), .int(3)]) }
        executor.define("check", ["item"]) { args in
            if args["item"] == .int(2) { throw FakeExecutor.Raised(message: "bad row 2") }
            return .bool(true)
        }
        executor.define("never", ["oks"]) { _ in .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:rows', outputs: rows, next: each}
              each: {foreach: rows, run: 'f.py:check', outputs: ok, next: join}
              join: {join: true, run: 'f.py:never', args: {oks: inputs.ok}, next: end}
              end: {}
            """), executor, maxWorkers: 1)
        #expect(outcome.status == .failed)
        #expect(outcome.failures.map(\.key.description) == ["each/1"])
        #expect(outcome.failures.first?.failure.message == "bad row 2")
        #expect(!executor.calls.contains("join"))
    }

    @Test func refusesAFanOutOverMaxSplits() async throws {
        let executor = FakeExecutor()
        executor.define("rows", []) { _ in .array((0..<5).map(JSONValue.int)) }
        executor.define("each", ["item"]) { args in args["item"] ?? .null }
        let outcome = await run(try plan("""
              start: {run: 'f.py:rows', outputs: rows, next: each}
              each: {foreach: rows, run: 'f.py:each', next: join}
              join: {join: true, next: end}
              end: {}
            """), executor, maxSplits: 4)
        #expect(outcome.status == .failed)
        #expect(outcome.failures.first?.failure.message.contains("more than 4 tasks") == true)
    }

    @Test func takesWhatReuseGivesWithoutAWorkerAndKeysEveryTask() async throws {
        let executor = FakeExecutor()
        executor.define("one", []) { _ in .int(1) }
        executor.define("add", ["x"]) { args in if case .int(let x)? = args["x"] { .int(x + 1) } else { .null } }
        let plan = try plan("""
              start: {run: 'f.py:one', outputs: x, next: mid}
              mid: {run: 'f.py:add', outputs: x, next: end}
              end: {run: 'f.py:add', outputs: x}
            """)
        let old = executor.store(.int(100))
        let reuse = StepReuse(taken: ["start", "end"], outputs: ["x": old])
        var scheduler = Scheduler(plan: plan, executor: executor, maxWorkers: 1)
        scheduler.stepFingerprints = ["start": "a", "mid": "b", "end": "b"]
        scheduler.reuse = reuse
        let outcome = await scheduler.run(params: [:])
        #expect(outcome.status == .completed)
        #expect(executor.calls == ["mid"])
        #expect(try final(outcome, "x", executor) == .int(100))
        // Every task was asked about with its key: the parameters were known beforehand.
        #expect(reuse.asked.withLock { $0 } == ["start": true, "mid": true, "end": true])
    }
}

/// Takes every task of `taken` steps, with `outputs`; says every step's function takes `x`.
private final class StepReuse: TaskReuse {
    let taken: Set<String>
    let outputs: [String: ArtifactRef]
    /// Whether each step's task was asked about with a key.
    let asked = Mutex<[String: Bool]>([:])

    init(taken: Set<String>, outputs: [String: ArtifactRef]) {
        self.taken = taken
        self.outputs = outputs
    }

    func parameters(of step: String) -> [String]? { ["x"] }

    func verdict(for key: TaskKey, identity: TaskIdentity?, parents: [TaskKey]) -> ReuseVerdict {
        asked.withLock { $0[key.step] = identity != nil }
        guard taken.contains(key.step) else { return .run(.missed) }
        return .reuse(ReusedTask(origin: 1, originPath: "F/1/\(key.step)", outputs: outputs))
    }
}
