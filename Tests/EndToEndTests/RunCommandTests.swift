import FlowStore
import Foundation
import Testing

/// `flowspec run` through the built binary, on real specs and the real `python3`.
@Suite struct RunCommandTests {
    private static func scratch() throws -> URL { try scratchFolder("run") }

    private func run(_ arguments: [String], store: URL, in folder: URL = repositoryRoot,
                     command: [String] = ["run"]) throws -> Outcome {
        try flowspec(command + arguments + ["--store", store.path], in: folder)
    }

    /// The artifacts as the end step saw them, by name: their reprs.
    private func endReprs(_ store: URL, _ outcome: Outcome) throws -> [String: String] {
        let reader = try StoreReader(path: store.path)
        let id = try #require(outcome.stdout.split(separator: "\n").first.map(String.init))
        let run = try reader.run(id)
        #expect(run.status == .completed)
        let artifacts = try #require(try reader.runArtifacts(of: run.id))
        return artifacts.mapValues { $0.value.repr }
    }

    @Test func runsTheMovieExampleAndKeepsItsValues() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let outcome = try run(["examples/movies/movies.yaml", "-p", "top=2", "--tag", "test"], store: store)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("MovieStats/"), "the run id comes first")
        #expect(outcome.stderr.contains("✓ per_genre 12/12"))
        #expect(outcome.stderr.contains("completed in"))
        let reprs = try endReprs(store, outcome)
        #expect(reprs["top"] == "2")
        #expect(reprs["genre"] == "'Sci-Fi'")
        #expect(reprs["end"]?.contains("| **Sci-Fi** | 6 |") == true, "\(reprs["end"] ?? "")")
        #expect(reprs["stats"] == nil, "per-genre stats differ between tasks: only inputs.stats sees them")
    }

    /// Every shape of the corpus runs to the end, and the end step sees exactly the values in
    /// `specs/valid/NAME.run.txt` (one `name = repr` a line; re-record with FLOWSPEC_RECORD=1).
    @Test(arguments: LintCorpusTests.validSpecs.filter { $0.hasPrefix("specs/valid/") })
    func runsEveryValidShape(path: String) throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let outcome = try run([path], store: store)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try endReprs(store, outcome).sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }
        // `linear.yaml` -> `linear.run.txt`; `linear.json` -> `linear.json.run.txt`.
        let base = path.hasSuffix(".yaml") ? String(path.dropLast(5)) : path
        try expectGolden(lines.joined(), at: base + ".run.txt")
    }

    @Test func checksSpecificValuesOfTheCorpus() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let nested = try endReprs(store, try run(["specs/valid/nested_foreach.yaml"], store: store))
        let loop = try endReprs(store, try run(["specs/valid/switch_loop.yaml"], store: store))
        #expect(!nested.isEmpty && !loop.isEmpty)
        let reader = try StoreReader(path: store.path)
        let runs = try reader.runs()
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0.status == .completed })
    }

    @Test func anExceptionShowsTheUsersTracebackAndFailsTheRun() throws {
        let folder = try Self.scratch()
        try "def load():\n    return [1, 2, 3]\n\ndef check(item):\n    if item == 2:\n        raise ValueError(f'bad row {item}')\n    return item\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Fails
            steps:
              start: {run: steps.py:load, outputs: rows, next: each}
              each: {foreach: rows, run: steps.py:check, outputs: ok, next: join}
              join: {join: true, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("fail.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let outcome = try run(["fail.yaml"], store: store, in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("✗ task each/1 failed: ValueError: bad row 2"))
        #expect(outcome.stderr.contains("steps.py\", line 6, in check"))
        #expect(outcome.stderr.contains("failed after"))
        let reader = try StoreReader(path: store.path)
        #expect(try reader.runs().first?.status == .failed)
    }

    @Test func anUnboundParameterNamesStepFunctionParameterAndVisibleNames() throws {
        let folder = try Self.scratch()
        try "def load():\n    return 1\n\ndef needs(missing_thing):\n    return 1\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Binds\nsteps:\n  start: {run: steps.py:load, outputs: rows, next: end}\n  end: {run: steps.py:needs}\n"
            .write(to: folder.appendingPathComponent("bind.yaml"), atomically: true, encoding: .utf8)
        let outcome = try run(["bind.yaml"], store: folder.appendingPathComponent("store"), in: folder)
        #expect(outcome.status == 1)
        for part in ["step 'end'", "'missing_thing'", "needs", "visible names: rows"] {
            #expect(outcome.stderr.contains(part), "\(part) missing from: \(outcome.stderr)")
        }
    }

    @Test func aDyingWorkerFailsItsTaskWithTheExitStatus() throws {
        let folder = try Self.scratch()
        try "import os\n\ndef crash():\n    os._exit(3)\n".write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Crashes\nsteps:\n  start: {run: steps.py:crash}\n"
            .write(to: folder.appendingPathComponent("crash.yaml"), atomically: true, encoding: .utf8)
        let outcome = try run(["crash.yaml"], store: folder.appendingPathComponent("store"), in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("exited with status 3 during task start"))
    }

    @Test func stepsImportNumpyFromTheUsersPython() throws {
        let folder = try Self.scratch()
        try "import numpy as np\n\ndef make():\n    return np.arange(6).reshape(2, 3)\n\ndef total(grid):\n    return int(grid.sum())\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Numpy\nsteps:\n  start: {run: steps.py:make, outputs: grid, next: end}\n  end: {run: steps.py:total}\n"
            .write(to: folder.appendingPathComponent("np.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let outcome = try run(["np.yaml"], store: store, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reprs = try endReprs(store, outcome)
        #expect(reprs["end"] == "15")
        #expect(reprs["grid"]?.hasPrefix("array(") == true)
    }

    @Test func refusesBadParamsBeforeAnythingRuns() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let wrongType = try run(["examples/movies/movies.yaml", "-p", "top=many"], store: store)
        #expect(wrongType.status == 2)
        #expect(wrongType.stderr.contains("-p top=many: 'top' is an int"))
        let unknown = try run(["examples/movies/movies.yaml", "-p", "tpo=3"], store: store)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'top'?"))
        #expect(!FileManager.default.fileExists(atPath: store.path), "nothing was recorded")
    }

    @Test func theModelSelectionExamplePicksTheTrueCurve() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let outcome = try run(["examples/model_selection/flow.yaml"], store: store)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("✓ fit 4/4"))
        let reprs = try endReprs(store, outcome)
        #expect(reprs["best"]?.contains("'family': 'damped_sine'") == true, "\(reprs["best"] ?? "")")
        #expect(outcome.stdout.contains("[end] * damped_sine"))
    }

    @Test func showsWhatTasksPrintPrefixedRawOrNotAtAll() throws {
        let folder = try Self.scratch()
        try "import logging, sys\n\ndef start():\n    print('{\"n\": 1}')\n    logging.getLogger('x').warning('careful')\n    return [1, 2]\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Prints\nsteps:\n  start: {run: steps.py:start}\n"
            .write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let prefixed = try run(["p.yaml"], store: store, in: folder)
        #expect(prefixed.stdout.contains("[start] {\"n\": 1}\n"))
        #expect(prefixed.stderr.contains("[start] ") && prefixed.stderr.contains("careful"))
        let raw = try run(["p.yaml", "--raw"], store: store, in: folder)
        #expect(raw.stdout.split(separator: "\n").contains("{\"n\": 1}"))
        let quiet = try run(["p.yaml", "--quiet"], store: store, in: folder)
        #expect(!quiet.stdout.contains("\"n\"") && !quiet.stderr.contains("careful"))
    }

    @Test func appliesEverySettingItAcceptsWithoutWarning() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let outcome = try run(["specs/valid/full.yaml"], store: store)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("warning:"), "\(outcome.stderr)")
    }

    /// `isolate`: each task in a process of its own; without it, one warm
    /// worker runs them all.
    @Test func anIsolatedStepRunsEachTaskInAFreshProcess() throws {
        let folder = try Self.scratch()
        try """
            import os

            def items():
                return list(range(4))

            def pid(item):
                return os.getpid()

            def distinct(pids):
                return len(set(pids))
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        for isolate in [true, false] {
            try """
                flowspec: 1
                name: Isolated
                steps:
                  start: {run: steps.py:items, outputs: items, next: work}
                  work: {foreach: items, run: steps.py:pid, args: {item: item}, outputs: pid, isolate: \(isolate), next: gather}
                  gather: {join: true, run: steps.py:distinct, args: {pids: inputs.pid}, outputs: processes, next: end}
                  end: {}
                """.write(to: folder.appendingPathComponent("i.yaml"), atomically: true, encoding: .utf8)
            let store = folder.appendingPathComponent("store-\(isolate)")
            let outcome = try run(["i.yaml", "--max-workers", "1"], store: store, in: folder)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try endReprs(store, outcome)["processes"] == (isolate ? "4" : "1"))
        }
    }

    @Test func anUnknownExecutorIsRefused() throws {
        let folder = try Self.scratch()
        try "def one():\n    return 1\n".write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: E\nsteps:\n  start: {run: steps.py:one}\n"
            .write(to: folder.appendingPathComponent("e.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let unknown = try run(["e.yaml", "--executor", "cloud"], store: store, in: folder)
        #expect(unknown.status == 2 && unknown.stderr.contains("'cloud'"))
    }

    @Test func retriesAFlakyTaskAndRecordsEveryAttempt() throws {
        let folder = try Self.scratch()
        let marker = folder.appendingPathComponent("tries")
        try "import os\n\ndef flaky():\n    n = len(open(\(String(reflecting: marker.path))).read()) if os.path.exists(\(String(reflecting: marker.path))) else 0\n    open(\(String(reflecting: marker.path)), 'a').write('x')\n    if n < 2:\n        raise ConnectionError(f'try {n}')\n    return n\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Flaky\nsteps:\n  start: {run: steps.py:flaky, retry: {times: 3, delay: 0.1s}, outputs: n}\n"
            .write(to: folder.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let outcome = try run(["f.yaml"], store: store, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try endReprs(store, outcome)["n"] == "2")
        let reader = try StoreReader(path: store.path)
        let task = try reader.tasks(of: try reader.run("latest").id).first!
        let attempts = try reader.attempts(of: task.id)
        #expect(attempts.map(\.status) == [.failed, .failed, .completed])
        #expect(attempts.first?.error?.message.contains("try 0") == true)
    }

    /// The caught error holds the type apart from `str(exc)`, as Metaflow's exception wrapper does.
    @Test func catchKeepsTheErrorAndTheRunGoesOn() throws {
        let folder = try Self.scratch()
        try "def fetch():\n    raise ConnectionError('no network')\n\ndef report(rows, fetch_error):\n    return f'{rows} / {fetch_error[\"type\"]} / {fetch_error[\"message\"]}'\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Catches\nsteps:\n  start: {run: steps.py:fetch, outputs: rows, catch: fetch_error, next: end}\n  end: {run: steps.py:report}\n"
            .write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let outcome = try run(["c.yaml"], store: store, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reprs = try endReprs(store, outcome)
        #expect(reprs["end"] == "'None / builtins.ConnectionError / no network'")
        #expect(reprs["rows"] == "None")
        #expect(reprs["fetch_error"]?.contains("no network") == true)
        let reader = try StoreReader(path: store.path)
        let start = try reader.task(run: try reader.run("latest").id, step: "start")
        #expect(start.status == .completed)
        #expect(try reader.attempts(of: start.id).map(\.status) == [.failed])
    }

    @Test func stopsAnAttemptThatRunsPastItsTimeout() throws {
        let folder = try Self.scratch()
        try "import time\n\ndef slow():\n    time.sleep(60)\n".write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Slow\nsteps:\n  start: {run: steps.py:slow, timeout: 1s}\n"
            .write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let started = Date()
        let outcome = try run(["s.yaml"], store: folder.appendingPathComponent("store"), in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("ran longer than its timeout of 1s and was stopped"))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func refusesASpecWithErrors() throws {
        let store = try Self.scratch().appendingPathComponent("store")
        let outcome = try run(["specs/invalid/FS0302-cycle.yaml"], store: store)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("error[FS0302]"))
        #expect(outcome.stderr.contains("nothing ran"))
    }

    /// SIGKILL of `flowspec run` leaves no worker behind: each worker dies with its scheduler.
    @Test func killingTheSchedulerLeavesNoWorker() throws {
        let folder = try Self.scratch()
        let pidFile = folder.appendingPathComponent("worker.pid")
        try "import os, time\n\ndef slow():\n    open(\(String(reflecting: pidFile.path)), 'w').write(str(os.getpid()))\n    time.sleep(60)\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Slow\nsteps:\n  start: {run: steps.py:slow}\n"
            .write(to: folder.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["run", "slow.yaml", "--store", folder.appendingPathComponent("store").path]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let worker = try #require(waitForPID(in: pidFile))
        #expect(isAlive(worker))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let gone = Date().addingTimeInterval(5)
        while isAlive(worker), Date() < gone { usleep(50_000) }
        #expect(!isAlive(worker), "worker \(worker) outlived its scheduler")
    }

    /// Ctrl-C stops the workers, keeps the run as interrupted and exits 130.
    @Test func ctrlCStopsTheRunAndKeepsItAsInterrupted() throws {
        let folder = try Self.scratch()
        let pidFile = folder.appendingPathComponent("worker.pid")
        try "import os, time\n\ndef quick():\n    return 1\n\ndef slow(x):\n    open(\(String(reflecting: pidFile.path)), 'w').write(str(os.getpid()))\n    time.sleep(60)\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Stops\nsteps:\n  start: {run: steps.py:quick, outputs: x, next: end}\n  end: {run: steps.py:slow}\n"
            .write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["run", "s.yaml", "--store", store.path]
        process.currentDirectoryURL = folder
        let errors = folder.appendingPathComponent("stderr")
        #expect(FileManager.default.createFile(atPath: errors.path, contents: nil))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let worker = try #require(waitForPID(in: pidFile))
        let interrupted = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(interrupted) < 10)
        #expect(!isAlive(worker))
        #expect(try String(contentsOf: errors, encoding: .utf8).contains("interrupted after"))
        let reader = try StoreReader(path: store.path)
        let run = try reader.run("latest")
        #expect(run.status == .interrupted)
        #expect(try reader.task(run: run.id, step: "start").status == .completed, "what finished is kept")
    }

    @Test func resumeReusesWhatFinishedAndRunsTheRest() throws {
        let folder = try Self.scratch()
        try """
            import os
            def load():
                return [1, 2, 3]
            def check(item):
                print(f'checking {item}')
                if item == 2 and not os.path.exists('fixed'):
                    raise ValueError('bad row 2')
                return item * 10
            def total(values):
                return sum(values)

            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Resumable
            params: {scale: {type: int, default: 1}}
            steps:
              start: {run: steps.py:load, outputs: rows, next: each}
              each: {foreach: rows, run: steps.py:check, outputs: v, next: join}
              join: {join: true, run: steps.py:total, args: {values: inputs.v}, outputs: total, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let failed = try run(["r.yaml", "-p", "scale=7", "--max-workers", "1"], store: store, in: folder)
        #expect(failed.status == 1)
        try "".write(to: folder.appendingPathComponent("fixed"), atomically: true, encoding: .utf8)

        let resumed = try run(["-q"], store: store, in: folder, command: ["resume", "r.yaml"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("taking what completed there (start (1), each (1)) where keys still match"))
        let reprs = try endReprs(store, resumed)
        #expect(reprs["total"] == "60")
        #expect(reprs["scale"] == "7", "the origin run's params")
        let reader = try StoreReader(path: store.path)
        let runs = try reader.runs()
        let (newer, older) = (runs[0], runs[1])
        #expect(newer.originRun == older.id)
        let statuses = try reader.tasks(of: newer.id).map { "\($0.step)\($0.index)=\($0.status.rawValue)" }
        #expect(statuses.contains("start[]=reused") && statuses.contains("each[0]=reused"))
        #expect(statuses.contains("each[1]=completed") && statuses.contains("join[]=completed"))

        let forced = try run(["-q", "--from", "each"], store: store, in: folder, command: ["resume", "r.yaml"])
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("from 'each': taking what completed there (start (1))"))
        let unknown = try run(["--from", "eahc"], store: store, in: folder, command: ["resume", "r.yaml"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'each'?"))
    }

    /// `resume --from` a step inside a loop: every pass after the first follows a task that runs
    /// again, so it runs again too, whatever its key says.
    @Test func resumeSummaryCountsOnlyTheTasksItTakes() throws {
        let folder = try Self.scratch()
        let store = folder.appendingPathComponent("store")
        let spec = repositoryRoot.appendingPathComponent("specs/valid/switch_loop.yaml").path
        #expect(try run(["-q", spec], store: store).status == 0)
        let resumed = try run(["-q", spec, "--from", "check"], store: store, command: ["resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("from 'check': taking what completed there"), "\(resumed.stderr)")
        let reader = try StoreReader(path: store.path)
        let tasks = try reader.tasks(of: try reader.runs()[0].id)
        #expect(tasks.filter { $0.status == .reused }.map(\.path) == ["start", "clean", "split", "init", "train_epoch/#0"])
    }
}
