import Foundation
import Testing

/// `cache: true`, `explain` and hash-safe `resume` (docs/spec.md, "Cache, explain and resume")
/// through the built binary: a task runs again exactly when its key changes, and says why.
@Suite struct CacheTests {
    /// `load.py` makes the rows, `work.py` doubles each and sums them plus `offset`.
    private func project(cache: Bool = true) throws -> URL {
        let folder = try scratchFolder("cache")
        try write("def load(scale):\n    return [scale, 2 * scale, 3 * scale]\n", "load.py", in: folder)
        try write(Self.work, "work.py", in: folder)
        try """
            flowspec: 1
            name: Cached
            params:
              scale: {type: int, default: 1}
              offset: {type: int, default: 0}
            defaults: {cache: \(cache)}
            steps:
              start: {run: load.py:load, outputs: rows, next: each}
              each: {foreach: rows, run: work.py:double, outputs: doubled, next: join}
              join: {join: true, run: work.py:total, outputs: sum, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static let work = """
        def double(item):
            return 2 * item

        def total(inputs, offset):
            return sum(task.doubled for task in inputs) + offset
        """

    private func write(_ text: String, _ name: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs `command` on the flow; the run's id.
    @discardableResult
    private func run(_ folder: URL, _ extra: [String] = [], command: String = "run") throws -> String {
        let run = try flowspec([command, "flow.yaml", "--store", "store", "-q"] + extra, in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        return String(run.stdout.split(separator: "\n").first ?? "")
    }

    /// Each task's reason code and sentence, by path, from `explain RUN --json`.
    private func reasons(_ folder: URL, _ run: String) throws -> [String: (code: String, text: String)] {
        let explain = try flowspec(["explain", run, "--json", "--store", "store"], in: folder)
        try #require(explain.status == 0, "\(explain.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any])
        var found: [String: (String, String)] = [:]
        for task in object["tasks"] as? [[String: Any]] ?? [] {
            guard let path = task["task"] as? String, let code = task["code"] as? String, let text = task["reason"] as? String else { continue }
            found[path] = (code, text)
        }
        return found
    }

    private static let tasks = ["start", "each/0", "each/1", "each/2", "join"]

    @Test func aSecondRunReusesEveryTaskAndSaysFromWhere() throws {
        let folder = try project()
        let first = try run(folder)
        #expect(try reasons(folder, first).mapValues(\.code) == Dictionary(uniqueKeysWithValues: Self.tasks.map { ($0, "no_earlier_task") }))
        let second = try run(folder)
        let reused = try reasons(folder, second)
        for task in Self.tasks {
            #expect(reused[task]?.text == "reused: same code, inputs and environment as \(first)/\(task)", "\(task)")
        }
        // Taken, not run: no attempt, so no worker was asked.
        let inspect = try flowspec(["inspect", "\(second)/each/1", "--json", "--store", "store"], in: folder)
        let task = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect((task["attempts"] as? [Any])?.isEmpty == true)
        #expect(task["status"] as? String == "reused")
        let text = try flowspec(["explain", "\(second)/join", "--store", "store"], in: folder)
        #expect(text.stdout.contains("reused: same code, inputs and environment as \(first)/join"))
    }

    @Test func aChangedFileRunsExactlyTheTasksItDefinesAndNamesTheFile() throws {
        let folder = try project()
        try run(folder)
        try write(Self.work.replacingOccurrences(of: "+ offset", with: "+ offset  # edited"), "work.py", in: folder)
        let edited = try reasons(folder, try run(folder))
        #expect(edited["start"]?.code == "reused")
        for task in ["each/0", "each/1", "each/2", "join"] { #expect(edited[task]?.text == "ran: work.py changed", "\(task)") }
    }

    /// `plan` predicts in the same words, before anything runs.
    @Test func planPredictsWhichStepsRunAndWhy() throws {
        let folder = try project()
        func predicted() throws -> [String: String] {
            let plan = try flowspec(["plan", "flow.yaml", "--format", "json", "--store", "store", "--no-check"], in: folder)
            try #require(plan.status == 0, "\(plan.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
            let steps = object["cache"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: steps.compactMap { step in
                (step["step"] as? String).map { ($0, step["reason"] as? String ?? "") }
            })
        }
        #expect(try predicted() == ["start": "ran: no earlier task with this key", "each": "ran: no earlier task with this key",
                                    "join": "ran: no earlier task with this key"])
        try run(folder)
        #expect(try predicted().values.allSatisfy { $0 == "reused if its inputs are the same as before" })
        try write("def load(scale):\n    return [scale]  # edited\n", "load.py", in: folder)
        #expect(try predicted() == ["start": "ran: load.py changed", "each": "runs if what 'start' gives it changes; else reused",
                                    "join": "runs if what 'each' gives it changes; else reused"])
    }

    @Test func aChangedParamRunsExactlyTheTasksThatTakeItAndNamesIt() throws {
        let folder = try project()
        try run(folder)
        let changed = try reasons(folder, try run(folder, ["-p", "offset=5"]))
        for task in ["start", "each/0", "each/1", "each/2"] { #expect(changed[task]?.code == "reused", "\(task)") }
        #expect(changed["join"]?.text == "ran: input offset changed")
        // A value upstream changes what its readers get: they say which input.
        let scaled = try reasons(folder, try run(folder, ["-p", "scale=2"]))
        #expect(scaled["start"]?.text == "ran: input scale changed")
        #expect(scaled["each/1"]?.text == "ran: input item changed")
    }

    @Test func noCacheRunsEverythingAndSaysSo() throws {
        let folder = try project()
        try run(folder)
        let forced = try reasons(folder, try run(folder, ["--no-cache"]))
        for task in Self.tasks { #expect(forced[task]?.text == "ran: cache off", "\(task)") }
        let off = try project(cache: false)
        try run(off)
        for task in Self.tasks { #expect(try reasons(off, try run(off))[task]?.code == "cache_off", "\(task)") }
    }

    /// Metaflow's `resume` would reuse `start` after its file changed; flowspec runs it again.
    @Test func resumeAfterAnUpstreamEditRunsThatStepAgain() throws {
        let folder = try project(cache: false)
        try run(folder)
        try write("def load(scale):\n    return [scale, 2 * scale, 4 * scale]\n", "load.py", in: folder)
        let resumed = try reasons(folder, try run(folder, command: "resume"))
        #expect(resumed["start"]?.text == "ran: load.py changed")
        // An item counts as its list's blob and its position: the list changed, so every item did.
        #expect(resumed["each/0"]?.text == "ran: input item changed")
        #expect(resumed["join"]?.text == "ran: input inputs changed")
        // Resumed once more with nothing changed, everything is taken from the run before.
        let again = try run(folder, command: "resume")
        #expect(try reasons(folder, again).values.allSatisfy { $0.code == "reused" })
        let from = try reasons(folder, try run(folder, ["--from", "each"], command: "resume"))
        #expect(from["start"]?.code == "reused")
        for task in ["each/0", "each/1", "each/2", "join"] { #expect(from[task]?.text == "ran: --from each", "\(task)") }
    }
}
