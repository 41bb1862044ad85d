import Foundation
import Testing

/// `flowspec runs`, `inspect`, `logs` and `get` through the built binary, on a store holding
/// one completed movie run and one failed run.
@Suite struct ReadingCommandTests {
    /// The store both runs went into, made once for the suite.
    struct Fixture: Sendable {
        let folder: URL
        let store: String
        /// `MovieStats/ID` and `Fails/ID`.
        let movies: String
        let fails: String
    }

    static let fixture: Result<Fixture, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-reading-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("store").path
        let movies = try flowspec(["run", "examples/movies/movies.yaml", "--tag", "nightly", "--store", store])
        guard movies.status == 0 else { throw FixtureError(movies.stderr) }
        try """
            import sys

            def load():
                print("loading rows")
                return [1, 2, 3]

            def check(item):
                print(f"checking {item}")
                print(f"warn {item}", file=sys.stderr)
                if in_order(item) == 2:
                    raise ValueError(f"bad row {item}")
                return item

            def in_order(item):
                # No task starts after one has failed: item 2 fails only once item 3 has run, so
                # every item runs whichever worker is quicker.
                import pathlib, time
                marker = pathlib.Path(\(String(reflecting: folder.path)), "item-3-ran")
                if item == 3:
                    marker.touch()
                deadline = time.monotonic() + 60
                while item == 2 and not marker.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                return item
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Fails
            steps:
              start: {run: steps.py:load, outputs: rows, next: each}
              each: {foreach: rows, run: steps.py:check, outputs: ok, next: join}
              join: {join: true, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("fail.yaml"), atomically: true, encoding: .utf8)
        let fails = try flowspec(["run", "fail.yaml", "--store", store, "--max-workers", "2"], in: folder)
        guard fails.status == 1 else { throw FixtureError(fails.stderr) }
        func id(_ outcome: Outcome) -> String { String(outcome.stdout.split(separator: "\n").first ?? "") }
        return Fixture(folder: folder, store: store, movies: id(movies), fails: id(fails))
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private func read(_ arguments: [String]) throws -> (Outcome, Fixture) {
        let fixture = try Self.fixture.get()
        return (try flowspec(arguments + ["--store", fixture.store], in: fixture.folder), fixture)
    }

    private func json(_ outcome: Outcome) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
    }

    // MARK: runs

    @Test func runsListsNewestFirst() throws {
        let (outcome, fixture) = try read(["runs"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("RUN") == true && lines.first?.contains("STATUS") == true)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(fixture.fails + "  ") && lines[1].contains(" failed "))
        #expect(lines[2].hasPrefix(fixture.movies + "  ") && lines[2].contains(" completed ") && lines[2].hasSuffix("nightly"))
        let header = lines[0]
        let statusColumn = try #require(header.range(of: "STATUS")).lowerBound.utf16Offset(in: header)
        #expect(lines.dropFirst().allSatisfy { Array($0)[statusColumn - 2] == " " && Array($0)[statusColumn] != " " },
                "columns line up")
    }

    @Test func runsOfOneFlowAsJSON() throws {
        let (outcome, fixture) = try read(["runs", "MovieStats", "--json", "--limit", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let runs = try #require(try json(outcome) as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs.first?["id"] as? String == fixture.movies)
        #expect(runs.first?["status"] as? String == "completed")
        #expect(runs.first?["user_tags"] as? [String] == ["nightly"])
        #expect((runs.first?["tags"] as? [String])?.last == "nightly", "system tags first, then the user's")
        #expect((runs.first?["system_tags"] as? [String])?.first?.hasPrefix("user:") == true)
        #expect((runs.first?["duration_seconds"] as? Double ?? -1) >= 0)
    }

    @Test func runsOfAnUnknownFlowSuggestsTheNearest() throws {
        let (outcome, _) = try read(["runs", "MovieStat"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no flow 'MovieStat'") && outcome.stderr.contains("did you mean 'MovieStats'?"))
    }

    // MARK: inspect

    @Test func inspectShowsARun() throws {
        let (outcome, fixture) = try read(["inspect", "MovieStats/latest"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdout
        #expect(text.hasPrefix(fixture.movies + "\n"))
        #expect(text.contains("status       completed") && text.contains("movies.yaml") && text.contains("tags         nightly\n"))
        #expect(text.contains("python       3.") && text.contains("system tags  user:"))
        #expect(text.contains("top    builtins.int  5"), "params with their type and repr")
        #expect(text.contains("per_genre  foreach  12     12 completed"))
        #expect(text.contains("table   builtins.list"), "the end step's artifacts")
    }

    @Test func inspectAsJSONParses() throws {
        let (outcome, fixture) = try read(["inspect", try fixture0().movies, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try #require(try json(outcome) as? [String: Any])
        #expect(run["id"] as? String == fixture.movies)
        let params = try #require(run["params"] as? [String: [String: Any]])
        #expect(params["top"]?["repr"] as? String == "5")
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["start", "per_genre", "combine", "end"])
        #expect((steps[1]["tasks"] as? [String: Int]) == ["completed": 12])
        let artifacts = try #require(run["artifacts"] as? [String: [String: Any]])
        #expect(artifacts["genre"]?["type"] as? String == "builtins.str")
    }

    @Test func inspectShowsAStepsTasksAndOneTask() throws {
        let (step, _) = try read(["inspect", "MovieStats/latest/per_genre"])
        #expect(step.status == 0, "\(step.stderr)")
        #expect(step.stdout.contains("(foreach, 12 tasks)"))
        #expect(step.stdout.split(separator: "\n").filter { $0.contains(" completed ") }.count == 12)
        let (task, _) = try read(["inspect", "MovieStats/latest/per_genre/3", "--json"])
        let record = try #require(try json(task) as? [String: Any])
        #expect(record["task"] as? String == "3" && record["status"] as? String == "completed")
        #expect(record["parents"] as? [String] == ["start"])
        #expect((record["artifacts"] as? [String: Any])?.keys.sorted() == ["stats"])
        let (end, _) = try read(["inspect", "MovieStats/latest/end"])
        #expect(end.stdout.contains("/end\n") && end.stdout.contains("follows      combine"), "a step run once shows its task")
        #expect(end.stdout.contains("environment  python3 on PATH"), "\(end.stdout)")
        #expect((record["environment"] as? [String: Any])?["kind"] as? String == "path")
    }

    @Test func inspectShowsAFailedTasksTraceback() throws {
        let (run, _) = try read(["inspect", "Fails/latest"])
        #expect(run.stdout.contains("status       failed") && run.stdout.contains("2 completed, 1 failed"))
        #expect(run.stdout.contains("none: the end step did not finish"))
        let (task, _) = try read(["inspect", "Fails/latest/each/1"])
        #expect(task.status == 0, "\(task.stderr)")
        #expect(task.stdout.contains("#1 failed") && task.stdout.contains("ValueError: bad row 2"))
        #expect(task.stdout.contains("steps.py\", line 11, in check"), "\(task.stdout)")
    }

    @Test func inspectShowsTheItemAForeachTaskProcessed() throws {
        let (failed, _) = try read(["inspect", "Fails/latest/each/1"])
        #expect(failed.stdout.contains("\n  item         2  (rows[1])\n"), "the failed task's item: \(failed.stdout)")
        let (task, _) = try read(["inspect", "MovieStats/latest/per_genre/3", "--json"])
        let record = try #require(try json(task) as? [String: Any])
        let item = try #require(record["item"] as? [String: Any])
        #expect(item["source"] as? String == "genres[3]")
        let genre = try #require(item["repr"] as? String)
        let stats = try #require((record["artifacts"] as? [String: [String: Any]])?["stats"]?["repr"] as? String)
        #expect(genre.hasPrefix("'") && stats.contains("'genre': \(genre)"), "the item is the genre its stats are of")
        let (start, _) = try read(["inspect", "MovieStats/latest/start", "--json"])
        #expect((try json(start) as? [String: Any])?["item"] is NSNull, "a task outside a foreach has no item")
        #expect(!(try read(["inspect", "MovieStats/latest/start"]).0.stdout.contains("item ")))
    }

    @Test func inspectNamesTheNearestOnUnknownNames() throws {
        let (step, _) = try read(["inspect", "MovieStats/latest/per_genr"])
        #expect(step.status == 1 && step.stderr.contains("did you mean 'per_genre'?"))
        let (task, _) = try read(["inspect", "MovieStats/latest/per_genre/30"])
        #expect(task.status == 1 && task.stderr.contains("no task '30'") && task.stderr.contains("(12 in all)"))
        let (run, _) = try read(["inspect", "MovieStats/nope"])
        #expect(run.status == 1 && run.stderr.contains("no run 'MovieStats/nope'"))
        let (flow, _) = try read(["inspect", "MovieStats"])
        #expect(flow.status == 1 && flow.stderr.contains("MovieStats/latest"))
    }

    @Test func aUniquePrefixOfAnIdWorks() throws {
        let fixture = try fixture0()
        let id = try #require(fixture.movies.split(separator: "/").last).dropLast(2)
        let (outcome, _) = try read(["inspect", String(id)])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix(fixture.movies))
    }

    // MARK: logs

    @Test func logsPrintsWhatTasksPrinted() throws {
        let (one, _) = try read(["logs", "Fails/latest/start"])
        #expect(one.status == 0 && one.stdout == "loading rows\n" && one.stderr.isEmpty)
        let (each, _) = try read(["logs", "Fails/latest/each"])
        #expect(each.stdout == "[each/0] checking 1\n[each/1] checking 2\n[each/2] checking 3\n")
        #expect(each.stderr == "[each/0] warn 1\n[each/1] warn 2\n[each/2] warn 3\n")
        let (task, _) = try read(["logs", "Fails/latest/each/2", "--attempt", "1"])
        #expect(task.stdout == "checking 3\n" && task.stderr == "warn 3\n")
        let (missing, _) = try read(["logs", "Fails/latest/each/2", "--attempt", "2"])
        #expect(missing.status == 1 && missing.stderr.contains("no attempt 2"))
    }

    @Test func logsAndGetAsJSONParse() throws {
        let (logs, _) = try read(["logs", "Fails/latest/each", "--json"])
        let records = try #require(try json(logs) as? [[String: Any]])
        #expect(records.map { $0["task"] as? String } == ["each/0", "each/1", "each/2"])
        #expect(records[1]["stdout"] as? String == "checking 2\n" && records[1]["attempt"] as? Int == 1)
        let (get, _) = try read(["get", "MovieStats/latest/per_genre/3/stats", "--json"])
        let value = try #require(try json(get) as? [String: Any])
        #expect(value["repr"] as? String == "{'genre': 'Crime', 'count': 1, 'mean_rating': 8.3, 'best': 'Heat'}")
        #expect(value["type"] as? String == "builtins.dict" && (value["blob"] as? String)?.count == 64)
    }

    // MARK: get

    @Test func getPrintsTheWholeValue() throws {
        let (outcome, _) = try read(["get", "MovieStats/latest/movies"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("[{'title': 'Blade Runner'"))
        #expect(outcome.stdout.count > 400, "the full repr, not the stored 200 characters")
        #expect(outcome.stdout.hasSuffix("}]\n"))
        let (stats, _) = try read(["get", "MovieStats/latest/per_genre/3/stats"])
        #expect(stats.stdout == "{'genre': 'Crime', 'count': 1, 'mean_rating': 8.3, 'best': 'Heat'}\n")
        let (start, _) = try read(["get", "MovieStats/latest/start/genres"])
        #expect(start.stdout.hasPrefix("['Action', 'Animation'"))
    }

    @Test func getWritesAPickleThatPythonLoads() throws {
        let fixture = try fixture0()
        let file = fixture.folder.appendingPathComponent("table-\(UUID()).pkl").path
        let (outcome, _) = try read(["get", "MovieStats/latest/table", "-o", file])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import pickle,sys; v = pickle.load(open(sys.argv[1], 'rb')); "
                           + "assert v[0]['genre'] == 'Sci-Fi' and len(v) == 12, v", file]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    @Test func getNamesTheNearestOnUnknownNames() throws {
        let (artifact, _) = try read(["get", "MovieStats/latest/movie"])
        #expect(artifact.status == 1 && artifact.stderr.contains("did you mean 'movies'?"))
        let (foreach, _) = try read(["get", "MovieStats/latest/per_genre/stats"])
        #expect(foreach.status == 1 && foreach.stderr.contains("name one, e.g. 'per_genre/0'"))
        let (failed, _) = try read(["get", "Fails/latest/ok"])
        #expect(failed.status == 1 && failed.stderr.contains("end step did not finish"))
    }

    private func fixture0() throws -> Fixture { try Self.fixture.get() }
}
