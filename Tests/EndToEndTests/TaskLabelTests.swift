import Foundation
import Testing

/// One task, one name: every label `inspect` lists (foreach positions, nested ones, loop passes)
/// names the same task in `inspect`, `logs`, `get` and the Python client, and a failing run
/// names its task the same way.
@Suite struct TaskLabelTests {
    static let steps = """
        def start():
            return [10, 20, 30]

        def per(item):
            print(f"per {item}")
            return item * 2

        def gather(values):
            return [[v, v + 1] for v in values[:2]]

        def row(cells):
            return cells

        def cell(item):
            print(f"cell {item}")
            return -item

        def total(values):
            return sum(values)

        def bump(count=0, fail=False):
            count += 1
            print(f"pass {count}")
            if fail and count == 3:
                raise ValueError("third pass")
            return count, ("again" if count < 3 else "done")
        """

    static let spec = """
        flowspec: 1
        name: Labels
        params:
          fail: {type: bool, default: false}
        steps:
          start: {run: steps.py:start, outputs: items, next: per}
          per: {foreach: items, run: steps.py:per, args: {item: item}, outputs: value, next: per_join}
          per_join: {join: true, run: steps.py:gather, args: {values: inputs.value}, outputs: grid, next: outer}
          outer: {foreach: grid, run: steps.py:row, args: {cells: item}, outputs: cells, next: inner}
          inner: {foreach: cells, run: steps.py:cell, args: {item: item}, outputs: value, next: inner_join}
          inner_join: {join: true, run: steps.py:total, args: {values: inputs.value}, outputs: sum, next: outer_join}
          outer_join: {join: true, next: bump}
          bump:
            run: steps.py:bump
            outputs: [count, state]
            max_iterations: 5
            switch: {on: state, cases: {again: bump, done: end}}
          end: {}
        """

    /// The labels `inspect --json` gives each step's tasks, in order.
    static let expected: [(step: String, labels: [String])] = [
        ("start", [""]), ("per", ["0", "1", "2"]), ("per_join", [""]), ("outer", ["0", "1"]),
        ("inner", ["0.0", "0.1", "1.0", "1.1"]), ("inner_join", ["0", "1"]), ("outer_join", [""]),
        ("bump", ["#0", "#1", "#2"]), ("end", [""]),
    ]

    private func json(_ outcome: Outcome) throws -> Any {
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
    }

    @Test func everyLabelNamesTheSameTaskInEveryCommand() throws {
        let folder = try scratchFolder("labels")
        try Self.steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try Self.spec.write(to: folder.appendingPathComponent("labels.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        func read(_ arguments: [String]) throws -> Outcome { try flowspec(arguments + ["--store", store], in: folder) }
        let ran = try flowspec(["run", "labels.yaml", "--store", store], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")

        var paths: [String] = []
        for (step, labels) in Self.expected {
            // A step of one task shows that task; of several, their list.
            let view = try #require(try json(read(["inspect", "latest/\(step)", "--json"])) as? [String: Any])
            let tasks = view["tasks"] as? [[String: Any]] ?? [view]
            #expect(tasks.compactMap { $0["task"] as? String } == labels, "step \(step)")
            for label in labels {
                let path = label.isEmpty ? step : "\(step)/\(label)"
                paths.append(path)
                let task = try #require(try json(read(["inspect", "latest/\(path)", "--json"])) as? [String: Any])
                #expect(task["step"] as? String == step && task["task"] as? String == label, "inspect \(path)")
                let logs = try #require(try json(read(["logs", "latest/\(path)", "--json"])) as? [[String: Any]])
                #expect(logs.map { $0["task"] as? String } == [path], "logs \(path)")
                let artifacts = try #require(task["artifacts"] as? [String: [String: Any]])
                for (name, artifact) in artifacts {
                    let got = try #require(try json(read(["get", "latest/\(path)/\(name)", "--json"])) as? [String: Any])
                    #expect(got["blob"] as? String == artifact["blob"] as? String, "get \(path)/\(name)")
                }
            }
        }
        #expect(paths.contains("inner/1.0") && paths.contains("bump/#2"))

        let client = """
            import sys
            from flowspec import Flow
            run = Flow("Labels", store=sys.argv[1]).latest_run
            for step in run:
                for task in step:
                    found = step.task_at(task.label)
                    print(task.name if found == task else f"{task.name} finds {found.name}")
            """
        let names = try runProgram(["/usr/bin/env", "python3", "-c", client, store], in: folder,
                                   env: ["PYTHONPATH": repositoryRoot.appendingPathComponent("python").path])
        #expect(names.status == 0, "\(names.stderr)")
        #expect(names.stdout.split(separator: "\n").map(String.init) == paths)
    }

    @Test func aFailingRunNamesItsTaskAsInspectDoes() throws {
        let folder = try scratchFolder("labels-fail")
        try Self.steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try Self.spec.write(to: folder.appendingPathComponent("labels.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        let ran = try flowspec(["run", "labels.yaml", "-p", "fail=true", "--store", store], in: folder)
        #expect(ran.status == 1)
        #expect(ran.stderr.contains("✗ task bump/#2 failed: ValueError: third pass"), "\(ran.stderr)")
        let view = try #require(try json(flowspec(["inspect", "latest/bump", "--json", "--store", store], in: folder)) as? [String: Any])
        let failed = (view["tasks"] as? [[String: Any]])?.filter { $0["status"] as? String == "failed" }.compactMap { $0["task"] as? String }
        #expect(failed == ["#2"])
        let logs = try flowspec(["logs", "latest/bump/#2", "--store", store], in: folder)
        #expect(logs.status == 0 && logs.stdout == "pass 3\n", "\(logs.stderr)")
    }

    @Test func aMalformedLabelIsAUsageError() throws {
        let folder = try scratchFolder("labels-bad")
        try Self.steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try Self.spec.write(to: folder.appendingPathComponent("labels.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        #expect(try flowspec(["run", "labels.yaml", "--store", store], in: folder).status == 0)
        for bad in ["per/-1", "per/1.", "per/#", "per/[1]", "per/ 1"] {
            let outcome = try flowspec(["logs", "latest/\(bad)", "--store", store], in: folder)
            #expect(outcome.status == 2 && outcome.stderr.contains("is not a task"), "\(bad): \(outcome.stderr)")
        }
    }
}
