import FlowStore
import Foundation
import Testing

/// Per-step Python environments (docs/spec.md section 4) through the built binary: environments built
/// from PyPI for `python.requirements`, `python.venv`, and `flowspec plan`. Serialized, because
/// the tests that build share one store to pay for one build.
@Suite(.serialized) struct EnvironmentTests {
    /// A small pure-Python package the base `python3` does not have.
    static let requirement = "pyjokes==0.6.0"

    static let steps = """
        import sys

        def jokes():
            import pyjokes
            return pyjokes.__version__

        def plain():
            try:
                import pyjokes
                return "imported " + pyjokes.__version__
            except ImportError as error:
                return "ImportError: " + str(error)

        def prefix():
            return sys.prefix
        """

    /// `jokes` needs the requirement; `plain` runs in the python3 on PATH.
    static let spec = """
        flowspec: 1
        name: TwoEnvironments
        steps:
          start:
            run: steps.py:jokes
            outputs: version
            python: {requirements: ["\(requirement)"]}
            next: end
          end:
            run: steps.py:plain
            outputs: other
        """

    private static func folder(spec: String, label: String) throws -> URL {
        let folder = try scratchFolder(label)
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try spec.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func runID(_ outcome: Outcome) throws -> String {
        try #require(outcome.stdout.split(separator: "\n").first.map(String.init), "no run id: \(outcome.stderr)")
    }

    private static func json(_ outcome: Outcome) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stdout)")
    }

    /// The state `plan --format json` gives each environment, by kind.
    private static func planStates(_ folder: URL, store: URL) throws -> (status: Int32, states: [String: String]) {
        let outcome = try flowspec(["plan", "flow.yaml", "--format", "json", "--store", store.path], in: folder)
        let environments = try #require(try json(outcome)["environments"] as? [[String: Any]])
        var states: [String: String] = [:]
        for environment in environments {
            states[environment["kind"] as? String ?? "?"] = environment["state"] as? String
        }
        return (outcome.status, states)
    }

    @Test func buildsARequirementsEnvironmentOnceForTwoRunsAtOnceThenReusesIt() throws {
        let folder = try Self.folder(spec: Self.spec, label: "envs")
        let store = folder.appendingPathComponent("store")
        let before = try Self.planStates(folder, store: store)
        #expect(before.status == 0)
        #expect(before.states == ["requirements": "not built", "path": "ready"])
        #expect(!FileManager.default.fileExists(atPath: store.path), "plan writes nothing")

        // Two runs at once: one builds, the other waits for it and reuses its build.
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            outcomes.add(try? flowspec(["run", "flow.yaml", "--store", store.path], in: folder))
        }
        let both = outcomes.all
        #expect(both.count == 2 && both.allSatisfy { $0.status == 0 }, "\(both.map(\.stderr))")
        let builders = both.filter { $0.stderr.contains("building environment for step 'start' (1 requirement)… done in") }
        #expect(builders.count == 1, "exactly one run builds: \(both.map(\.stderr))")
        let folders = try FileManager.default.contentsOfDirectory(atPath: store.appendingPathComponent("envs").path)
        #expect(folders.filter { !$0.hasSuffix(".lock") }.count == 1, "one environment, no leftovers: \(folders)")
        // Built where it stays: the console script pip installed runs.
        let folderName = folders.first { !$0.hasSuffix(".lock") } ?? ""
        let script = store.appendingPathComponent("envs/\(folderName)/bin/pyjoke").path
        let joke = try runProgram([script], in: folder)
        #expect(joke.status == 0 && !joke.stdout.isEmpty, "\(joke.stderr)")

        let again = try flowspec(["run", "flow.yaml", "--store", store.path], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("building environment"))

        let reader = try StoreReader(path: store.path)
        let built = try both.map { try reader.environments(of: try reader.run(try Self.runID($0)).id) }
        #expect(built.map { $0.first?.built == true }.sorted { !$0 && $1 } == [false, true])
        let reused = try reader.environments(of: try reader.run(try Self.runID(again)).id)
        #expect(reused.map(\.kind.rawValue) == ["requirements", "path"])
        #expect(reused.first?.built == false)
        #expect(reused.first?.packages?["pyjokes"] == "0.6.0")
        #expect(reused.first?.steps == ["start"] && reused.last?.steps == ["end"])

        // The step with the requirement imports it; the other step cannot.
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run(try Self.runID(again)).id))
        #expect(artifacts["version"]?.value.repr == "'0.6.0'")
        #expect(artifacts["other"]?.value.repr.contains("No module named 'pyjokes'") == true, "\(artifacts["other"]?.value.repr ?? "")")

        let inspect = try flowspec(["inspect", try Self.runID(again), "--store", store.path], in: folder)
        #expect(inspect.stdout.contains("requirements [pyjokes==0.6.0]"))
        #expect(inspect.stdout.contains("packages  pyjokes 0.6.0"), "\(inspect.stdout)")
        let inspectJSON = try Self.json(try flowspec(["inspect", try Self.runID(again), "--json", "--store", store.path], in: folder))
        let environments = try #require(inspectJSON["environments"] as? [[String: Any]])
        #expect((environments.first?["packages"] as? [String: String])?["pyjokes"] == "0.6.0")
        let stepView = try flowspec(["inspect", try Self.runID(again) + "/start", "--store", store.path], in: folder)
        #expect(stepView.stdout.contains("environment  requirements [pyjokes==0.6.0]"), "\(stepView.stdout)")

        let after = try Self.planStates(folder, store: store)
        #expect(after.states == ["requirements": "built", "path": "ready"])
    }

    @Test func aRequirementPipCannotInstallFailsNamingItAndLeavesNothingBuilt() throws {
        let bad = "no-such-package-flowspec-test==0.0.1"
        let folder = try Self.folder(spec: Self.spec.replacingOccurrences(of: Self.requirement, with: bad), label: "envs-bad")
        let store = folder.appendingPathComponent("store")
        let outcome = try flowspec(["run", "flow.yaml", "--store", store.path], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("could not install '\(bad)'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("building environment for step 'start' (1 requirement)… failed"))
        let folders = try FileManager.default.contentsOfDirectory(atPath: store.appendingPathComponent("envs").path)
        #expect(folders.allSatisfy { $0.hasSuffix(".lock") }, "nothing half-folders: \(folders)")
        #expect(try Self.planStates(folder, store: store).states["requirements"] == "not built")
    }

    @Test func theTwoEnvironmentsExampleRuns() throws {
        let store = try scratchFolder("envs-example").appendingPathComponent("store")
        let outcome = try flowspec(["run", "examples/two_envs/flow.yaml", "--store", store.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("[end] model.pt          700.0 MiB  3 days old"), "\(outcome.stdout)")
    }

    /// A step in an existing venv runs there; the others do not see it. One worker at most,
    /// so the idle worker of one environment makes room for the next.
    @Test func aStepRunsInItsOwnVenv() throws {
        let spec = """
            flowspec: 1
            name: Venv
            steps:
              start: {run: steps.py:prefix, outputs: first, next: inside}
              inside: {run: steps.py:prefix, outputs: second, python: {venv: .venv}, next: end}
              end: {run: steps.py:prefix, outputs: third}
            """
        let folder = try Self.folder(spec: spec, label: "envs-venv")
        try Self.makeVenv(at: folder.appendingPathComponent(".venv"))
        let store = folder.appendingPathComponent("store")
        let outcome = try flowspec(["run", "flow.yaml", "--max-workers", "1", "--store", store.path], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store.path)
        let run = try reader.run(try Self.runID(outcome))
        let artifacts = try #require(try reader.runArtifacts(of: run.id))
        let venvPath = folder.appendingPathComponent(".venv").resolvingSymlinksInPath().path
        #expect(artifacts["second"]?.value.repr == "'\(venvPath)'")
        #expect(artifacts["first"]?.value.repr != artifacts["second"]?.value.repr)
        #expect(artifacts["first"]?.value.repr == artifacts["third"]?.value.repr)
        #expect(try reader.environments(of: run.id).map(\.kind.rawValue) == ["path", "venv"])
    }

    /// The flow's environment (the first step's) reads a foreach's list and a switch's value
    /// first; a value whose class only a step's venv has is read in that venv instead.
    @Test func valuesOnlyAStepsVenvCanUnpickleAreReadThere() throws {
        let spec = """
            flowspec: 1
            name: VenvValues
            steps:
              start: {run: things_steps.py:can_import, outputs: importable, next: make}
              make: {run: things_steps.py:make, outputs: [things, pick], python: {venv: .venv}, next: each}
              each: {foreach: things, run: things_steps.py:label, args: {thing: item}, outputs: label, python: {venv: .venv}, next: gather}
              gather: {join: true, run: things_steps.py:gather, args: {labels: inputs.label}, outputs: labels, python: {venv: .venv}, next: route}
              route:
                run: things_steps.py:can_import
                outputs: importable_there
                python: {venv: .venv}
                switch: {on: pick, cases: {b: chosen}, default: other}
              chosen: {run: things_steps.py:chosen, outputs: verdict, next: end}
              other: {run: things_steps.py:other, outputs: verdict, next: end}
              end: {run: things_steps.py:can_import, outputs: importable_at_end}
            """
        let folder = try Self.folder(spec: spec, label: "envs-values")
        try """
            def can_import():
                try:
                    import things
                    return True
                except ImportError:
                    return False

            def make():
                import things
                return [things.Thing("a"), things.Thing("b")], things.Thing("b")

            def label(thing):
                return "thing " + thing.name

            def gather(labels):
                return sorted(labels)

            def chosen():
                return "chosen"

            def other():
                return "other"
            """.write(to: folder.appendingPathComponent("things_steps.py"), atomically: true, encoding: .utf8)
        let venv = folder.appendingPathComponent(".venv")
        try Self.makeVenv(at: venv)
        let lib = venv.appendingPathComponent("lib")
        let series = try #require(try FileManager.default.contentsOfDirectory(atPath: lib.path).first { $0.hasPrefix("python3") })
        try """
            class Thing:
                def __init__(self, name):
                    self.name = name

                def __eq__(self, other):
                    return self.name == getattr(other, "name", other)

                def __hash__(self):
                    return hash(self.name)
            """.write(to: lib.appendingPathComponent("\(series)/site-packages/things.py"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let outcome = try flowspec(["run", "flow.yaml", "--max-workers", "1", "--store", store.path], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store.path)
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run(try Self.runID(outcome)).id))
        #expect(artifacts["importable"]?.value.repr == "False", "the flow's environment cannot import things")
        #expect(artifacts["importable_there"]?.value.repr == "True")
        #expect(artifacts["labels"]?.value.repr == "['thing a', 'thing b']")
        #expect(artifacts["verdict"]?.value.repr == "'chosen'")
    }

    @Test func aMissingVenvIsAnErrorNamingTheStepAndPathBeforeAnythingRuns() throws {
        let spec = "flowspec: 1\nname: Missing\nsteps:\n  train: {run: steps.py:prefix, python: {venv: envs/gone}}\n"
        let folder = try Self.folder(spec: spec, label: "envs-missing")
        let store = folder.appendingPathComponent("store")
        let outcome = try flowspec(["run", "flow.yaml", "--store", store.path], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("step 'train': python.venv 'envs/gone'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(folder.appendingPathComponent("envs/gone").path + "/bin/python3"))
        #expect(!FileManager.default.fileExists(atPath: store.path), "nothing ran or was recorded")
        let plan = try flowspec(["plan", "flow.yaml", "--store", store.path], in: folder)
        #expect(plan.status == 1)
        #expect(plan.stdout.contains("venv envs/gone: unusable"), "\(plan.stdout)")
    }

    /// Workers embed the Python flowspec was built against: another minor version is refused up
    /// front. pyenv's 3.12 when this machine has it, else an interpreter that only describes itself.
    @Test func aPythonOfAnotherMinorVersionIsRefusedWithTheFix() throws {
        let spec = "flowspec: 1\nname: Other\nsteps:\n  start: {run: steps.py:prefix, python: {venv: other}}\n"
        let folder = try Self.folder(spec: spec, label: "envs-version")
        let other = folder.appendingPathComponent("other")
        let pyenv312 = "/root/.pyenv/versions/3.12.1/bin/python3"
        let built = try baseSeries()
        let expected: String
        if FileManager.default.isExecutableFile(atPath: pyenv312) && !built.hasPrefix("3.12") {
            let venv = Process()
            venv.executableURL = URL(fileURLWithPath: pyenv312)
            venv.arguments = ["-m", "venv", "--without-pip", other.path]
            try venv.run()
            venv.waitUntilExit()
            expected = "3.12.1"
        } else {
            try FileManager.default.createDirectory(at: other.appendingPathComponent("bin"), withIntermediateDirectories: true)
            let fake = other.appendingPathComponent("bin/python3")
            try """
                #!/bin/sh
                echo '{"executable": "\(fake.path)", "libdir": "/nonexistent", "prefix": "\(other.path)", "version": "3.99.0"}'
                """.write(to: fake, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
            expected = "3.99.0"
        }
        let store = folder.appendingPathComponent("store")
        let outcome = try flowspec(["run", "flow.yaml", "--store", store.path], in: folder)
        #expect(outcome.status == 1)
        let series = expected.split(separator: ".").prefix(2).joined(separator: ".")
        for part in ["step 'start'", other.path + "/bin/python3", "Python \(expected)", "built against Python \(built)",
                     "rebuild flowspec against Python \(series)"] {
            #expect(outcome.stderr.contains(part), "\(part) missing from: \(outcome.stderr)")
        }
        #expect(try flowspec(["plan", "flow.yaml", "--store", store.path], in: folder).status == 1)
    }

    /// A venv of the python3 on PATH, without pip: enough for a step to run in.
    static func makeVenv(at folder: URL) throws {
        let venv = Process()
        venv.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        venv.arguments = ["python3", "-m", "venv", "--without-pip", folder.path]
        try venv.run()
        venv.waitUntilExit()
        #expect(venv.terminationStatus == 0, "python3 -m venv \(folder.path) failed")
    }

    /// "3.11" for the python3 on PATH: the other tests run in it, so flowspec was built against
    /// that minor version.
    private func baseSeries() throws -> String {
        let script = "import sysconfig; print(sysconfig.get_python_version())"
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What processes run at once reported.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Outcome] = []

    func add(_ outcome: Outcome?) { lock.withLock { if let outcome { collected.append(outcome) } } }
    var all: [Outcome] { lock.withLock { collected } }
}
