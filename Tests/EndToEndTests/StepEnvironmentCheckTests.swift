import FlowStore
import Foundation
import Testing

/// `lint --deep`, `plan` and the check `run` makes first look in each step's own environment:
/// a `python.requirements` environment once built in the store, a step's `python.venv`.
@Suite struct StepEnvironmentCheckTests {
    /// `start` calls the requirement's module (found only in its environment); `end` misspells
    /// a function of it.
    static let spec = """
        flowspec: 1
        name: EnvCheck
        steps:
          start:
            run: pyjokes.pyjokes:get_joke
            outputs: joke
            python: {requirements: ["\(EnvironmentTests.requirement)"]}
            next: end
          end:
            run: pyjokes.pyjokes:get_jokess
            python: {requirements: ["\(EnvironmentTests.requirement)"]}
        """

    @Test func aRequirementsEnvironmentIsLookedInOnceBuiltAndNamedWhenNot() throws {
        let folder = try scratchFolder("env-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.spec.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path

        let before = try flowspec(["lint", "--deep", "flow.yaml", "--store", store], in: folder)
        #expect(before.status == 0, "not built yet: warnings, not errors: \(before.stdout)\(before.stderr)")
        #expect(!before.stdout.contains("FS0403"), "\(before.stdout)")
        #expect(before.stdout.contains("flow.yaml:5:10: warning[FS0406]: step 'start' not checked: environment not built yet "
            + "(python.requirements: \(EnvironmentTests.requirement))"), "\(before.stdout)")
        #expect(before.stdout.contains("warning[FS0406]: step 'end' not checked"))
        let plan = try flowspec(["plan", "flow.yaml", "--store", store], in: folder)
        #expect(plan.status == 0 && plan.stderr.contains("warning[FS0406]"), "\(plan.stderr)")

        // The run builds the environment, then checks the steps in it before any task runs.
        let run = try flowspec(["run", "flow.yaml", "--store", store], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("building environment for steps 'start', 'end'"), "\(run.stderr)")
        #expect(run.stderr.contains("flow.yaml:10:10: error[FS0401]: module 'pyjokes.pyjokes'"), "\(run.stderr)")
        #expect(run.stderr.contains("hint: did you mean 'get_jokes'?"), "\(run.stderr)")
        #expect(run.stderr.contains("flow.yaml: 1 error in the steps' Python; nothing ran"))
        #expect(!run.stderr.contains("✓ start"), "no task ran: \(run.stderr)")
        #expect(throws: (any Error).self, "no run is stored: the store holds nothing but the environment") {
            try StoreReader(path: store)
        }

        let after = try flowspec(["lint", "--deep", "flow.yaml", "--store", store], in: folder)
        #expect(after.status == 1)
        #expect(!after.stdout.contains("FS0406") && !after.stdout.contains("FS0403"), "\(after.stdout)")
        #expect(after.stdout.contains("flow.yaml:10:10: error[FS0401]"), "\(after.stdout)")
        #expect(after.stdout.contains("flow.yaml: 1 error\n"), "\(after.stdout)")
        let planAfter = try flowspec(["plan", "flow.yaml", "--store", store], in: folder)
        #expect(planAfter.status == 1 && planAfter.stderr.contains("error[FS0401]"), "\(planAfter.stderr)")
        #expect(planAfter.stdout.contains("cannot run"), "\(planAfter.stdout)")
    }

    @Test func aStepsVenvIsWhereItsModuleIsLookedFor() throws {
        let folder = try scratchFolder("venv-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        let venv = folder.appendingPathComponent(".venv")
        try EnvironmentTests.makeVenv(at: venv)
        let lib = try #require(try FileManager.default.contentsOfDirectory(atPath: venv.appendingPathComponent("lib").path).first)
        try "def greet(name):\n    return 'hello ' + name\n".write(
            to: venv.appendingPathComponent("lib/\(lib)/site-packages/only_in_venv_xyz.py"), atomically: true, encoding: .utf8)
        let spec = """
            flowspec: 1
            name: VenvCheck
            params:
              name: {type: str, default: you}
            steps:
              start: {run: only_in_venv_xyz:greet, python: {venv: .venv}, next: end}
              end: {run: only_in_venv_xyz:greet, python: {venv: .venv}, args: {name: start}}
            """
        try spec.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let clean = try flowspec(["lint", "--deep", "flow.yaml"], in: folder)
        #expect(clean.status == 0 && clean.stdout == "flow.yaml: ok, 2 steps\n", "\(clean.stdout)\(clean.stderr)")
        try spec.replacingOccurrences(of: "xyz:greet, python: {venv: .venv}, args", with: "xyz:gret, python: {venv: .venv}, args")
            .write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let misspelt = try flowspec(["lint", "--deep", "flow.yaml"], in: folder)
        #expect(misspelt.status == 1)
        #expect(misspelt.stdout.contains("flow.yaml:7:14: error[FS0401]"), "\(misspelt.stdout)")
        #expect(misspelt.stdout.contains("hint: did you mean 'greet'?"), "\(misspelt.stdout)")
    }
}
