import FlowStore
import Foundation
import Testing

/// A folder with two flows whose runs `gc` deletes: `Many` (many.yaml) and `Other` (other.yaml),
/// the same foreach of `n` items under two names, so equal params store equal blobs across
/// flows. Its join fails while the file `fail` is in the folder.
struct GcFolder {
    let folder: URL
    var store: String { folder.appendingPathComponent("store").path }
    var failFlag: URL { folder.appendingPathComponent("fail") }

    /// In a new folder under `parent` (default: the system's temporary folder).
    init(_ label: String, in parent: URL? = nil) throws {
        if let parent {
            folder = parent.appendingPathComponent("flowspec-\(label)-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } else {
            folder = try scratchFolder(label)
        }
        try """
            import os

            def items(n, seed):
                return [f"{seed}-{i}" for i in range(n)]

            def each(item):
                return item.upper()

            def total(values, fail_if):
                if os.path.exists(fail_if):
                    raise ValueError("failing on purpose")
                return len(values)

            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        for (file, name) in [("many.yaml", "Many"), ("other.yaml", "Other")] {
            try """
                flowspec: 1
                name: \(name)
                params:
                  n: {type: int, default: 5}
                  seed: {type: int, default: 0}
                steps:
                  start: {run: steps.py:items, args: {n: n, seed: seed}, outputs: xs, next: each}
                  each: {foreach: xs, run: steps.py:each, args: {item: item}, outputs: y, next: join}
                  join: {join: true, run: steps.py:total, args: {values: inputs.y}, with: {fail_if: \(String(reflecting: failFlag.path))}, outputs: t, next: end}
                  end: {}

                """.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
    }

    /// Runs `spec` with `-p` values; returns its id, `FLOW/ID`.
    @discardableResult
    func run(_ spec: String, _ params: [String] = [], expecting status: Int32 = 0) throws -> String {
        let outcome = try flowspec(["run", spec, "--store", store, "-q"] + params.flatMap { ["-p", $0] }, in: folder)
        try #require(outcome.status == status, "\(outcome.stderr)")
        return String(outcome.stdout.prefix { $0 != "\n" })
    }

    /// `flowspec ARGUMENTS --store STORE`, in the folder.
    func command(_ arguments: [String]) throws -> Outcome {
        try EndToEndTests.flowspec(arguments + ["--store", store], in: folder)
    }

    /// `gc ARGUMENTS --json`, parsed.
    func gc(_ arguments: [String]) throws -> [String: Any] {
        let outcome = try command(["gc"] + arguments + ["--json"])
        try #require(outcome.status == 0, "\(outcome.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    /// The store's runs, newest first, as `FLOW/ID`.
    func runs() throws -> [String] {
        let outcome = try command(["runs", "--json", "--limit", "100000"])
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        return runs.compactMap { $0["id"] as? String }
    }

    /// Runs one SQL statement on the store's database (with Python's sqlite3).
    func sql(_ statement: String) throws {
        let script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()\n"
        let outcome = try runProgram(["/usr/bin/env", "python3", "-c", script, store + "/flowspec.db", statement])
        try #require(outcome.status == 0, "\(outcome.stderr)")
    }
}

/// What is wrong with the store at `store`: each record naming a blob that is missing or
/// damaged, or that cannot be read. Empty for a consistent store.
func storeProblems(_ store: String) throws -> [String] {
    let reader = try StoreReader(path: store)
    var problems: [String] = []
    func check(_ blob: String?, _ what: String) throws {
        if let blob, !(try reader.verifyBlob(blob)) { problems.append("\(what): blob \(blob)") }
    }
    for run in try reader.runs() {
        let name = "\(run.flow)/\(run.id)"
        try check(run.specBlob, "\(name) spec")
        for (param, value) in run.params { try check(value.blob, "\(name) param \(param)") }
        for file in try reader.codeFiles(of: run.id) { try check(file.blob, "\(name) code \(file.path)") }
        for task in try reader.tasks(of: run.id) {
            for artifact in try reader.artifacts(of: task.id) { try check(artifact.value.blob, "\(name)/\(task.step) \(artifact.name)") }
            do { _ = try reader.attempts(of: task.id) } catch { problems.append("\(name)/\(task.step) attempts: \(error)") }
        }
    }
    return problems
}
