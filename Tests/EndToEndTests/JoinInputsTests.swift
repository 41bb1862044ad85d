import FlowStore
import Foundation
import Testing

/// A join's `inputs` bind by name, through the built binary and the real `python3`: as a list
/// of the branches, and after static branches by the step each ended at, as in Metaflow.
@Suite struct JoinInputsTests {
    private static let steps = """
        def one():
            return 1

        def two():
            return 2

        def numbers():
            return [10, 20, 30]

        def by_name(inputs):
            return [inputs.a.x, inputs.b.x, [branch.x for branch in inputs], inputs[1].x, len(inputs)]

        def double(item):
            return 2 * item

        def listed(inputs):
            return [branch.y for branch in inputs]

        def named(inputs):
            return inputs.each

        def kept(inputs):
            return inputs

        def not_a_join(inputs):
            return 0
        """

    /// Runs `steps` (a spec's `steps:` section) beside `steps.py`; returns the outcome and the store.
    private func run(_ steps: String, command: [String] = ["run"]) throws -> (Outcome, URL) {
        let folder = try scratchFolder("inputs")
        try Self.steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Inputs\nparams:\n  k: {type: str, default: b}\nsteps:\n\(steps)\n"
            .write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let storeOption = command == ["run"] ? ["--store", store.path] : []
        return (try flowspec(command + ["flow.yaml"] + storeOption, in: folder), store)
    }

    private func endRepr(_ store: URL, _ name: String) throws -> String? {
        let reader = try StoreReader(path: store.path)
        let run = try #require(try reader.runs().first)
        #expect(run.status == .completed)
        return try reader.runArtifacts(of: run.id)?[name]?.value.repr
    }

    private static let branches = """
          start: {next: [a, b]}
          a: {run: steps.py:one, outputs: x, next: join}
          b: {run: steps.py:two, outputs: x, next: join}

        """

    @Test func afterStaticBranchesInputsAreAListAndNamedByTheirLastSteps() throws {
        let (outcome, store) = try run(Self.branches + "  join: {join: true, run: steps.py:by_name, outputs: r, next: end}\n  end: {}")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try endRepr(store, "r") == "[1, 2, [1, 2], 2, 2]")
    }

    @Test func afterAForeachInputsAreAListWithoutNames() throws {
        let foreach = """
              start: {run: steps.py:numbers, outputs: xs, next: each}
              each: {foreach: xs, run: steps.py:double, outputs: y, next: join}

            """
        let (listed, store) = try run(foreach + "  join: {join: true, run: steps.py:listed, outputs: r, next: end}\n  end: {}")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(try endRepr(store, "r") == "[20, 40, 60]")
        let (named, _) = try run(foreach + "  join: {join: true, run: steps.py:named, outputs: r, next: end}\n  end: {}")
        #expect(named.status == 1)
        #expect(named.stderr.contains("the inputs of a foreach join have no names; index them (inputs[0])"), "\(named.stderr)")
    }

    @Test func aJoinWhereASwitchConvergesSeesTheCaseThatRan() throws {
        let (outcome, store) = try run("""
              start: {switch: {on: k, cases: {a: a, b: b}}}
              a: {run: steps.py:one, outputs: x, next: join}
              b: {run: steps.py:two, outputs: x, next: join}
              join: {join: true, run: steps.py:kept, outputs: r, next: end}
              end: {}
            """)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let repr = try #require(try endRepr(store, "r"))
        #expect(repr.lowercased().hasPrefix("[namespace(") && repr.contains("x=2") && !repr.contains("x=1"), "returned, inputs are a plain list: \(repr)")
    }

    @Test func inputsOfACaseThatDidNotRunFailNamingTheOnesThatDid() throws {
        let (outcome, _) = try run("""
              start: {switch: {on: k, cases: {a: a, b: b}}}
              a: {run: steps.py:one, outputs: x, next: join}
              b: {run: steps.py:two, outputs: x, next: join}
              join: {join: true, run: steps.py:double, args: {item: inputs.a.x}, next: end}
              end: {}
            """)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(
            "'inputs.a.x' has no value: no branch ended at 'a' in this run (a switch chose another way); the branches ended at 'b'"),
            "\(outcome.stderr)")
    }

    @Test func deepLintAgreesWithTheRun() throws {
        let join = Self.branches + "  join: {join: true, run: steps.py:by_name, outputs: r, next: end}\n  end: {}"
        let (clean, _) = try run(join, command: ["lint", "--deep"])
        #expect(clean.status == 0, "\(clean.stdout)")
        let notJoin = "  start: {run: steps.py:one, outputs: x, next: end}\n  end: {run: steps.py:not_a_join}"
        let (lint, _) = try run(notJoin, command: ["lint", "--deep"])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("error[FS0402]: step 'end' cannot bind parameter 'inputs' of not_a_join"), "\(lint.stdout)")
        let (ran, _) = try run(notJoin)
        #expect(ran.status == 1)
        #expect(ran.stderr.contains("step 'end' cannot bind parameter 'inputs' of not_a_join"), "\(ran.stderr)")
    }
}
