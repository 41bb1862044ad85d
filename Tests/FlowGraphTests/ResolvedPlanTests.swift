import FlowBasics
import FlowGraph
import FlowSpec
import Testing

/// The plan carries every setting resolved: a step's own value, else the one in `defaults`,
/// over the flow's `env` and `python`; and what each join closes, what each step produces and
/// what its tasks may bind by name.
@Suite struct ResolvedPlanTests {
    private func plan(_ yaml: String) throws -> ExecutionPlan {
        let loaded = SpecLoader.load(text: yaml, file: "flow.yaml")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let lint = LintedGraph(spec: try #require(loaded.spec))
        try #require(lint.isPlannable, "\(lint.findings.map(\.message))")
        return ExecutionPlan(lint)
    }

    @Test func aStepsReportNamesAreCheckedAndPlanned() throws {
        let yaml = """
            flowspec: 1
            name: Reported
            steps:
              start: {run: 'f.py:one', outputs: [x, y], catch: failed, report: [y, failed], next: every}
              every: {run: 'f.py:two', outputs: "*", report: [anything], next: end}
              end: {report: [x]}
            """
        let lint = LintedGraph(spec: try #require(SpecLoader.load(text: yaml, file: "flow.yaml").spec))
        let found = lint.findings.map { "\($0.code.id) \($0.span.start.line):\($0.span.start.column) \($0.message)" }
        #expect(found == ["FS0211 6:18 step 'end' reports 'x', which is not one of its artifacts"], "\(found)")
        let plan = try plan(yaml.replacingOccurrences(of: "end: {report: [x]}", with: "end: {}"))
        #expect(plan["start"]?.report == ["y", "failed"] && plan["every"]?.report == ["anything"] && plan["end"]?.report == [])
    }

    private static let defaulted = """
        flowspec: 1
        name: Defaults
        env: {A: flow, B: flow}
        python: {path: [flowlib], venv: flowvenv}
        defaults:
          retry: {times: 2, delay: 1s}
          timeout: 90s
          catch: failure
          concurrency: 3
          resources: {cpu: 2, memory: 1G}
          env: {B: defaults, C: defaults}
          python: {path: [shared], requirements: ["Pandas >= 2"]}
          cache: true
          isolate: true
        steps:
          start: {run: 'f.py:one', outputs: x, next: own}
          own:
            run: 'f.py:two'
            retry: 5
            timeout: 2s
            catch: oops
            concurrency: 1
            resources: {gpu: 1}
            env: {C: own}
            python: {path: [mine], venv: myvenv}
            cache: false
            isolate: false
            next: end
          end: {}
        """

    @Test func aStepThatOmitsASettingTakesTheDefaults() throws {
        let start = try #require(try plan(Self.defaulted)["start"])
        var retry = RetryPolicy(times: 2)
        retry.delay = Duration(seconds: 1)
        #expect(start.retry == retry)
        #expect(start.timeout == Duration(seconds: 90))
        #expect(start.catchName == "failure")
        #expect(start.concurrency == 3)
        var resources = Resources()
        (resources.cpu, resources.memory) = (2, MemorySize(bytes: 1 << 30))
        #expect(start.resources == resources)
        #expect(start.env == ["A": "flow", "B": "defaults", "C": "defaults"])
        #expect(start.importRoots == ["shared", "flowlib"])
        #expect(start.environment == .requirements(["pandas>=2"]))
        #expect(start.cache && start.isolate)
    }

    @Test func aStepsOwnSettingWinsOverTheDefaults() throws {
        let own = try #require(try plan(Self.defaulted)["own"])
        #expect(own.retry == RetryPolicy(times: 5))
        #expect(own.timeout == Duration(seconds: 2))
        #expect(own.catchName == "oops")
        #expect(own.concurrency == 1)
        var resources = Resources()
        resources.gpu = 1
        #expect(own.resources == resources, "resources are taken whole, not merged key by key")
        #expect(own.env == ["A": "flow", "B": "flow", "C": "own"], "its own env replaces the defaults', over the flow's")
        #expect(own.importRoots == ["mine", "shared", "flowlib"])
        #expect(own.environment == .venv("myvenv"))
        #expect(!own.cache && !own.isolate)
    }

    @Test func theExecutorAndSlurmSettingsAreTheStepsOwnElseTheDefaults() throws {
        let plan = try plan("""
            flowspec: 1
            name: S
            defaults: {executor: slurm, slurm: {partition: debug, extra: ["--exclusive"]}}
            steps:
              start: {run: 'f.py:one', executor: local, next: heavy}
              heavy: {run: 'f.py:two', slurm: {account: lab, qos: high, constraint: avx2}, next: end}
              end: {}
            """)
        var defaults = SlurmSettings()
        (defaults.partition, defaults.extra) = ("debug", ["--exclusive"])
        #expect(plan["start"]?.executor == .local)
        #expect(plan["start"]?.slurm == defaults)
        var own = SlurmSettings()
        (own.account, own.qos, own.constraint) = ("lab", "high", "avx2")
        #expect(plan["heavy"]?.executor == .slurm)
        #expect(plan["heavy"]?.slurm == own, "slurm settings are taken whole, not merged key by key")
    }

    @Test func aStepThatNamesNoExecutorLeavesItToTheRun() throws {
        let plan = try plan("flowspec: 1\nname: N\nsteps:\n  start: {run: 'f.py:one'}\n")
        #expect(plan["start"]?.executor == nil)
        #expect(plan["start"]?.slurm == nil)
    }

    @Test func aStepWithoutRunCatchesNothingAndRunsNothing() throws {
        let end = try #require(try plan(Self.defaulted)["end"])
        #expect(end.function == nil)
        #expect(end.catchName == nil, "a step without run has no failure to catch")
        #expect(end.kind == .end && end.isLast)
    }

    @Test func theFlowsPythonIsTheEnvironmentWhenNoStepOrDefaultSetsOne() throws {
        let plan = try plan("""
            flowspec: 1
            name: P
            python: {venv: .venv}
            steps:
              start: {run: 'f.py:one'}
            """)
        #expect(plan["start"]?.environment == .venv(".venv"))
        #expect(plan["start"]?.importRoots == [])
    }

    @Test func aLoopBoundInDefaultsIsTheStepsBound() throws {
        let plan = try plan("""
            flowspec: 1
            name: Loop
            defaults: {max_iterations: 4}
            steps:
              start: {run: 'f.py:zero', outputs: n, next: train}
              train: {run: 'f.py:tick', outputs: again, switch: {on: again, cases: {true: train, false: end}}}
              end: {}
            """)
        let train = try #require(plan["train"])
        #expect(train.maxIterations == 4)
        #expect(train.kind == .switch)
        #expect(train.routes.map(\.target) == ["train", "end"])
        #expect(train.routes.map(\.isLoop) == [true, false])
        #expect(plan.loopingSteps == ["train"])
    }

    @Test func bindingsAndOutputsAreTheSteps() throws {
        let plan = try plan("""
            flowspec: 1
            name: B
            params: {top: {type: int, default: 3}}
            steps:
              start: {run: 'lib.rows:load', outputs: [rows, stats], next: each}
              each: {foreach: rows, run: 'f.py:score', with: {scale: 2, label: x}, args: {row: item, n: top, m: stats.mean}, outputs: "*", next: join}
              join: {join: true, run: 'f.py:gather', next: end}
              end: {}
            """)
        let start = try #require(plan["start"])
        #expect(start.function == RunTarget(source: .module("lib.rows"), function: "load"))
        #expect(start.outputs == .unpacked(["rows", "stats"]))
        let each = try #require(plan["each"])
        #expect(each.literals.map(\.parameter) == ["scale", "label"])
        #expect(each.literals.map(\.value) == [.int(2), .string("x")])
        #expect(each.args.map(\.parameter) == ["row", "n", "m"])
        #expect(each.args.map(\.reference.description) == ["item", "top", "stats.mean"])
        #expect(each.foreach == Reference(head: "rows"))
        #expect(each.outputs == .mapping)
        #expect(plan["join"]?.outputs == .stepName("join"))
    }

    @Test func whatATaskMayBindByNameIsWhatItSees() throws {
        let plan = try plan("""
            flowspec: 1
            name: V
            params: {top: {type: int, default: 3}}
            steps:
              start: {run: 'f.py:load', outputs: rows, catch: err, next: each}
              each: {foreach: rows, run: 'f.py:score', outputs: score, next: join}
              join: {join: true, run: 'f.py:gather', next: wide}
              wide: {run: 'f.py:all', outputs: "*", next: end}
              end: {run: 'f.py:last'}
            """)
        #expect(plan["start"]?.visibleNames == ["top"])
        #expect(plan["each"]?.visibleNames == ["top", "rows", "err", "item", "index"])
        #expect(plan["join"]?.visibleNames == ["top", "rows", "err", "score", "inputs"])
        #expect(plan["wide"]?.visibleNames == ["top", "rows", "err", "score", "join"])
        #expect(plan["end"]?.visibleNames == nil, "after outputs \"*\" the names are not known")
    }

    /// `b` is declared before `a`, so its edge reaches the join first.
    @Test func aJoinListsItsBranchesInTheOrderOfTheOpenersNext() throws {
        let plan = try plan("""
            flowspec: 1
            name: J
            steps:
              start: {run: 'f.py:s', next: [a, b, start_c]}
              b: {run: 'f.py:b', next: join}
              start_c: {run: 'f.py:c', switch: {on: start_c, cases: {x: c1, y: c2}}}
              a: {run: 'f.py:a', next: join}
              c1: {run: 'f.py:c1', next: join}
              c2: {run: 'f.py:c2', next: join}
              join: {join: true, next: end}
              end: {}
            """)
        guard case .branch(let opener, let branches)? = plan["join"]?.join else {
            Issue.record("join closes no branch: \(String(describing: plan["join"]?.join))")
            return
        }
        #expect(opener == "start")
        #expect(branches == [["a"], ["b"], ["c1", "c2"]])
        #expect(plan["start"]?.kind == .branch && plan["start"]?.opensBranches == true)
        #expect(plan["join"]?.kind == .join)
    }

    @Test func aBranchFromTheOpenerStraightToTheJoinIsOneOfItsBranches() throws {
        let plan = try plan("""
            flowspec: 1
            name: J
            steps:
              start: {run: 'f.py:s', next: [a, join]}
              a: {run: 'f.py:a', next: join}
              join: {join: true, next: end}
              end: {}
            """)
        guard case .branch(_, let branches)? = plan["join"]?.join else {
            Issue.record("join closes no branch")
            return
        }
        #expect(branches == [["a"], ["start"]])
    }

    @Test func aForeachKnowsItsJoinAndAConvergingSwitchNeedsNone() throws {
        let plan = try plan("""
            flowspec: 1
            name: F
            steps:
              start: {run: 'f.py:s', outputs: items, next: each}
              each: {foreach: items, run: 'f.py:e', outputs: mode, next: gather}
              gather: {join: true, run: 'f.py:g', outputs: mode, switch: {on: mode, cases: {a: left, b: right}}}
              left: {run: 'f.py:l', next: end}
              right: {run: 'f.py:r', next: end}
              end: {join: true}
            """)
        #expect(plan["each"]?.closingJoin == "gather")
        #expect(plan["each"]?.kind == .foreach)
        guard case .foreach(let opener)? = plan["gather"]?.join, case .cases(let parents)? = plan["end"]?.join else {
            Issue.record("joins: \(String(describing: plan["gather"]?.join)), \(String(describing: plan["end"]?.join))")
            return
        }
        #expect(opener == "each")
        #expect(parents == ["left", "right"])
        #expect(plan["left"]?.kind == .linear)
    }
}
