import FlowStore
import Foundation
import Testing

/// A foreach goes over its value the way Python iterates it, through the built binary and the
/// real `python3`; values whose iteration would mislead are refused, naming the type and what
/// to return instead.
@Suite struct ForeachValueTests {
    private static let steps = """
        import numpy as np

        def make(kind):
            return {"range": range(2, 5), "tuple": (3, 1), "dict": {"b": 1, "a": 2}, "empty": {},
                    "array": np.array([[1, 2], [3, 4]]), "text": "abc", "set": {"x", "y"}, "number": 7}[kind]

        def show(item):
            return repr(item)

        def same(item):
            return item
        """

    private static let spec = """
        flowspec: 1
        name: Iterables
        params:
          kind: {type: str, default: dict}
        steps:
          start: {run: steps.py:make, outputs: values, next: each}
          each: {foreach: values, run: steps.py:show, outputs: shown, next: join}
          join: {join: true, run: steps.py:same, args: {item: inputs.shown}, outputs: all, next: end}
          end: {}
        """

    private func run(_ kind: String) throws -> (Outcome, URL) {
        let folder = try scratchFolder("foreach")
        try Self.steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try Self.spec.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        return (try flowspec(["run", "flow.yaml", "-p", "kind=\(kind)", "--store", store.path], in: folder), store)
    }

    @Test(arguments: [
        ("range", #"['2', '3', '4']"#), ("tuple", #"['3', '1']"#), ("dict", #"["'b'", "'a'"]"#),
        ("array", #"['array([1, 2])', 'array([3, 4])']"#), ("empty", "[]"),
    ])
    func fansOutTheWayPythonIterates(kind: String, items: String) throws {
        let (outcome, store) = try run(kind)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store.path)
        let run = try #require(try reader.runs().first)
        let all = try #require(try reader.runArtifacts(of: run.id)?["all"]?.value)
        #expect(all.repr == items, "\(kind)")
    }

    @Test(arguments: [
        ("text", "type 'builtins.str': it would make one task per character; return a list (list(text) if characters are meant)"),
        ("set", "type 'builtins.set': a set's order can change from run to run; return sorted(values) or a list"),
        ("number", "type 'builtins.int': it is not iterable; return a list of the items"),
    ])
    func refusesValuesWhoseIterationWouldMislead(kind: String, message: String) throws {
        let (outcome, store) = try run(kind)
        #expect(outcome.status == 1)
        let why = "cannot read 'values' to fan out: cannot fan out over a value of \(message)"
        #expect(outcome.stderr.contains(why), "\(outcome.stderr)")
        // No task's attempt failed, so only the run's own record can say why it failed.
        let inspected = try flowspec(["inspect", "latest", "--store", store.path])
        #expect(inspected.stdout.contains("status       failed\n"), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("\nwhy it failed\n  each: \(why)\n"), "\(inspected.stdout)")
    }

    /// A fan-out wider than `--max-splits` fails the run, and `inspect` says so.
    @Test func aFanOutPastMaxSplitsIsWhyTheRunFailed() throws {
        let (_, store) = try run("range")
        let folder = store.deletingLastPathComponent()
        let ran = try flowspec(["run", "flow.yaml", "-p", "kind=range", "--max-splits", "2", "--store", store.path], in: folder)
        #expect(ran.status == 1)
        let inspected = try flowspec(["inspect", "latest", "--json", "--store", store.path])
        #expect(inspected.stdout.contains(#""failure" : "each: step 'each' would fan out to more than 2 tasks; raise --max-splits if that is intended""#),
                "\(inspected.stdout)")
        let earlier = try flowspec(["inspect", try #require(try StoreReader(path: store.path).runs().last).id.rawValue, "--json", "--store", store.path])
        #expect(earlier.stdout.contains(#""failure" : null"#), "a completed run has none: \(earlier.stdout)")
    }
}
