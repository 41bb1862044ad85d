import Foundation
import Testing

/// Task keys (docs/spec.md, "Task keys") through the built binary: recorded with every task that
/// runs a function, the same for the same code, inputs and environment, and changed by exactly
/// what they cover.
@Suite struct TaskKeyTests {
    /// A flow with two files: `load.py` makes the rows, `work.py` doubles each and sums them.
    private func project() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-keys-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "def load(scale):\n    return [scale, 2 * scale]\n"
            .write(to: folder.appendingPathComponent("load.py"), atomically: true, encoding: .utf8)
        try "def double(item):\n    return 2 * item\n\ndef total(inputs):\n    return sum(task.doubled for task in inputs)\n"
            .write(to: folder.appendingPathComponent("work.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Keys
            params:
              scale: {type: int, default: 1}
            steps:
              start: {run: load.py:load, outputs: rows, next: each}
              each: {foreach: rows, run: work.py:double, outputs: doubled, next: join}
              join: {join: true, run: work.py:total, outputs: sum, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("keys.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Runs the flow; every task's key by its path (`each/1`), from `inspect RUN/STEP --json`.
    private func keys(in folder: URL, _ extra: [String] = []) throws -> [String: String?] {
        let run = try flowspec(["run", "keys.yaml", "--store", "store"] + extra, in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let id = String(run.stdout.split(separator: "\n").first ?? "")
        var keys: [String: String?] = [:]
        for step in ["start", "each", "join", "end"] {
            let inspect = try flowspec(["inspect", "\(id)/\(step)", "--json", "--store", "store"], in: folder)
            try #require(inspect.status == 0, "\(inspect.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
            // A step of one task is shown as that task.
            for task in object["tasks"] as? [[String: Any]] ?? [object] {
                let label = task["task"] as? String ?? ""
                keys[label.isEmpty ? step : "\(step)/\(label)"] = task["key"] as? String
            }
        }
        return keys
    }

    @Test func theSameRunGivesTheSameKeys() throws {
        let folder = try project()
        let first = try keys(in: folder), second = try keys(in: folder)
        #expect(first.keys.sorted() == ["each/0", "each/1", "end", "join", "start"])
        #expect(first == second)
        // Every task that runs a function has a key of its own; a step without `run` has none.
        let keyed = ["start", "each/0", "each/1", "join"].compactMap { first[$0] ?? nil }
        #expect(keyed.count == 4 && Set(keyed).count == 4)
        #expect(keyed.allSatisfy { $0.count == 64 })
        #expect(first["end"] == .some(nil))
    }

    @Test func aChangedFileChangesTheKeysOfTheStepsItDefines() throws {
        let folder = try project()
        let before = try keys(in: folder)
        try "def double(item):\n    return item + item\n\ndef total(inputs):\n    return sum(task.doubled for task in inputs)\n"
            .write(to: folder.appendingPathComponent("work.py"), atomically: true, encoding: .utf8)
        let after = try keys(in: folder)
        #expect(after["start"] == before["start"])
        for task in ["each/0", "each/1", "join"] { #expect(after[task] != before[task], "\(task)") }
    }

    @Test func aChangedParamChangesTheKeysOfTheTasksThatSeeIt() throws {
        let folder = try project()
        let before = try keys(in: folder)
        let after = try keys(in: folder, ["-p", "scale=3"])
        for task in ["start", "each/0", "each/1", "join"] { #expect(after[task] != before[task], "\(task)") }
    }
}
