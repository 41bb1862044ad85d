import FlowStore
import Foundation
import Testing

/// Every step key that `defaults` allows, set only in `defaults`, changes what a run does: the
/// same flow runs once with it and once without, through the built binary.
@Suite struct DefaultsTests {
    struct Expected: Sendable {
        var status: Int32 = 0
        /// Text the run's stderr holds, or must not hold.
        var says: String?
        var doesNotSay: String?
        /// An artifact the end step saw, and text its repr holds.
        var artifact: (name: String, contains: String)?
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let key: String
        let defaults: String
        let steps: String
        var options: [String] = []
        /// How many times the flow runs, into one store; the last run is checked.
        var runs = 1
        let with: Expected
        let without: Expected

        var testDescription: String { key }
    }

    private static let python = """
        import os, pathlib, time

        def flaky():
            marker = pathlib.Path(__file__).with_name("tried")
            if not marker.exists():
                marker.write_text("once")
                raise RuntimeError("the first attempt fails")
            return "second attempt"

        def slow():
            time.sleep(2)
            return "slept"

        def boom():
            raise ValueError("boom")

        def numbers():
            return [1, 2]

        def stamp(item):
            started = time.time()
            time.sleep(1)
            return [started, time.time()]

        def overlap(inputs):
            (a0, a1), (b0, b1) = (branch.span for branch in inputs)
            return a0 < b1 and b0 < a1

        def zero():
            return 0

        def bump():
            # A module global: a warm worker keeps it from one task to the next.
            global calls
            calls = globals().get("calls", 0) + 1
            return calls

        def tick(n):
            return n + 1, "again" if n + 1 < 10 else "done"

        def greet():
            return os.environ.get("GREETING")
        """

    static let rows: [Row] = [
        Row(key: "retry", defaults: "retry: 1", steps: "  start: {run: steps.py:flaky, outputs: r}",
            with: Expected(artifact: ("r", "'second attempt'")), without: Expected(status: 1, says: "the first attempt fails")),
        Row(key: "timeout", defaults: "timeout: 1s", steps: "  start: {run: steps.py:slow, outputs: r}",
            with: Expected(status: 1, says: "longer than its timeout of 1s"), without: Expected(artifact: ("r", "'slept'"))),
        Row(key: "catch", defaults: "catch: error", steps: "  start: {run: steps.py:boom, outputs: r}",
            with: Expected(artifact: ("error", "'message': '")), without: Expected(status: 1, says: "ValueError: boom")),
        Row(key: "concurrency", defaults: "concurrency: 1", steps: """
              start: {run: steps.py:numbers, outputs: xs, next: each}
              each: {foreach: xs, run: steps.py:stamp, outputs: span, next: join}
              join: {join: true, run: steps.py:overlap, outputs: overlapped}
            """, options: ["--max-workers", "2", "--max-cpu", "2"],
            with: Expected(artifact: ("overlapped", "False")), without: Expected(artifact: ("overlapped", "True"))),
        Row(key: "max_iterations", defaults: "max_iterations: 3", steps: """
              start: {run: steps.py:zero, outputs: n, next: loop}
              loop: {run: steps.py:tick, outputs: [n, status], switch: {on: status, cases: {again: loop, done: end}}}
              end: {}
            """,
            with: Expected(status: 1, says: "step 'loop' ran 3 times, its 'max_iterations', and would loop back to 'loop' once more"),
            without: Expected(status: 1, says: "FS0311")),
        Row(key: "resources", defaults: "resources: {cpu: 4}", steps: "  start: {run: steps.py:zero, outputs: r}",
            options: ["--max-cpu", "2"],
            with: Expected(status: 1, says: "step 'start' asks for cpu 4 but the run may use 2"), without: Expected(artifact: ("r", "0"))),
        Row(key: "env", defaults: "env: {GREETING: hello}", steps: "  start: {run: steps.py:greet, outputs: r}",
            with: Expected(artifact: ("r", "'hello'")), without: Expected(artifact: ("r", "None"))),
        Row(key: "python", defaults: "python: {path: [lib]}", steps: "  start: {run: helper:answer, outputs: r}",
            with: Expected(artifact: ("r", "42")), without: Expected(status: 1, says: "helper")),
        // Run twice: the second run takes the task from the first.
        Row(key: "cache", defaults: "cache: true", steps: "  start: {run: steps.py:zero, outputs: r}", runs: 2,
            with: Expected(says: "✓ start 1/1 (1 reused)"), without: Expected(doesNotSay: "reused")),
        // One worker: a warm one runs both tasks, so the second sees the first's global.
        Row(key: "isolate", defaults: "isolate: true",
            steps: "  start: {run: steps.py:bump, outputs: a, next: end}\n  end: {run: steps.py:bump, outputs: r}",
            options: ["--max-workers", "1"], with: Expected(artifact: ("r", "1")), without: Expected(artifact: ("r", "2"))),
        // On Slurm, a step's resources are the cluster's to judge, not this machine's (whether a
        // cluster runs here or not, no Slurm takes 10000 cpus).
        Row(key: "executor", defaults: "executor: slurm", steps: "  start: {run: steps.py:zero, outputs: r, resources: {cpu: 10000}}",
            with: Expected(status: 1, doesNotSay: "could never start"), without: Expected(status: 1, says: "so it could never start")),
        // What shows that `defaults` sets `slurm` without a cluster is that its values are checked.
        Row(key: "slurm", defaults: "slurm: {partition: 7}", steps: "  start: {run: steps.py:zero, outputs: r}",
            with: Expected(status: 1, says: "'slurm.partition'"), without: Expected(artifact: ("r", "0"))),
    ]

    @Test func theTableHasEveryKeyThatDefaultsAllows() throws {
        let outcome = try flowspec(["schema"])
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let defaults = try #require((definitions["defaults"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(defaults.keys) == Set(Self.rows.map(\.key)))
    }

    @Test(arguments: rows)
    func aKeySetOnlyInDefaultsChangesTheRun(row: Row) throws {
        try check(row, defaults: "defaults: {\(row.defaults)}\n", expected: row.with)
        try check(row, defaults: "", expected: row.without)
    }

    @Test func aStepsOwnValueWinsOverTheDefaults() throws {
        let steps = "  start: {run: steps.py:zero, outputs: r, next: end}\n  end: {run: steps.py:zero, outputs: s, cache: false}"
        let row = Row(key: "cache", defaults: "cache: true", steps: steps, runs: 2, with: Expected(), without: Expected())
        try check(row, defaults: "defaults: {cache: true}\n", expected: Expected(says: "✓ start 1/1 (1 reused)\n✓ end 1/1\n"))
    }

    private func check(_ row: Row, defaults: String, expected: Expected) throws {
        let folder = try scratchFolder("defaults")
        try Self.python.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try "def answer():\n    return 42\n".write(to: folder.appendingPathComponent("lib/helper.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Defaults\n\(defaults)steps:\n\(row.steps)\n"
            .write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        for _ in 1..<row.runs { _ = try flowspec(["run", "flow.yaml", "--store", store.path] + row.options, in: folder) }
        let outcome = try flowspec(["run", "flow.yaml", "--store", store.path] + row.options, in: folder)
        let label = defaults.isEmpty ? "without defaults" : defaults
        #expect(outcome.status == expected.status, "\(label): \(outcome.stderr)")
        if let says = expected.says { #expect(outcome.stderr.contains(says) || outcome.stdout.contains(says), "\(label): \(outcome.stderr)") }
        if let absent = expected.doesNotSay { #expect(!outcome.stderr.contains(absent), "\(label): \(outcome.stderr)") }
        if let (name, text) = expected.artifact {
            let reader = try StoreReader(path: store.path)
            let run = try #require(try reader.runs().first)
            let repr = try reader.runArtifacts(of: run.id)?[name]?.value.repr
            #expect(repr?.contains(text) == true, "\(label): \(name) = \(repr ?? "nil")")
        }
    }
}
