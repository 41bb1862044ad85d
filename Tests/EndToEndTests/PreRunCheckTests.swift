import FlowStore
import Foundation
import Testing

/// `run`, `resume` and `plan` check the steps' Python (as `lint --deep` does) before the first
/// task: a misspelt function in the last step stops the command before anything runs.
@Suite struct PreRunCheckTests {
    /// `start` leaves a file behind when it runs; `end` names a function that does not exist.
    private static func flow() throws -> URL {
        let folder = try scratchFolder("prerun")
        try """
            import pathlib

            def sweep(n):
                pathlib.Path("start-ran").write_text("yes")
                return list(range(n))

            def total(values, scale=2):
                return sum(values) * scale
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: PreRun
            params:
              n: {type: int, default: 3}
            steps:
              start: {run: steps.py:sweep, outputs: values, next: end}
              end:
                run: steps.py:totl
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    private static func expectStoppedBeforeAnythingRan(_ outcome: Outcome, in folder: URL) {
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty, "no run id: \(outcome.stdout)")
        #expect(outcome.stderr.contains("flow.yaml:8:10: error[FS0401]: "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("steps.py has no function 'totl'; it defines: sweep, total"))
        #expect(outcome.stderr.contains("hint: did you mean 'total'?"))
        #expect(outcome.stderr.hasSuffix("flow.yaml: 1 error in the steps' Python; nothing ran\n"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("start-ran").path), "start ran")
    }

    @Test func runStopsBeforeTheFirstTaskAndStoresNoRun() throws {
        let folder = try Self.flow()
        defer { try? FileManager.default.removeItem(at: folder) }
        Self.expectStoppedBeforeAnythingRan(try flowspec(["run", "flow.yaml", "--store", "st"], in: folder), in: folder)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("st").path), "nothing stored")

        let unchecked = try flowspec(["run", "flow.yaml", "--store", "st", "--no-check"], in: folder)
        #expect(unchecked.status == 1)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("start-ran").path), "--no-check runs start")
        #expect(unchecked.stderr.contains("✗ task end failed"), "\(unchecked.stderr)")
    }

    @Test func resumeChecksBeforeItRecordsARun() throws {
        let folder = try Self.flow()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try flowspec(["run", "flow.yaml", "--store", "st", "--no-check"], in: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("start-ran"))
        let reader = try StoreReader(path: folder.appendingPathComponent("st").path)
        #expect(try reader.runs(flow: "PreRun").count == 1)
        Self.expectStoppedBeforeAnythingRan(try flowspec(["resume", "flow.yaml", "--store", "st", "--from", "start"], in: folder), in: folder)
        #expect(try reader.runs(flow: "PreRun").count == 1, "resume recorded no run")
    }

    @Test func planReportsWhatRunWouldStopOn() throws {
        let folder = try Self.flow()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try flowspec(["plan", "flow.yaml", "--store", "st"], in: folder)
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("flow.yaml:8:10: error[FS0401]: ") && plan.stderr.contains("did you mean 'total'?"), "\(plan.stderr)")
        #expect(plan.stdout.contains("PreRun (flow.yaml): cannot run"), "\(plan.stdout)")
        let unchecked = try flowspec(["plan", "flow.yaml", "--store", "st", "--no-check"], in: folder)
        #expect(unchecked.status == 0 && !unchecked.stderr.contains("FS0401"), "\(unchecked.stderr)")
    }

    @Test func aParameterThatCannotBindStopsTheRunAtItsPlace() throws {
        let folder = try Self.flow()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("flow.yaml")
        try String(contentsOf: spec, encoding: .utf8).replacingOccurrences(of: "steps.py:totl", with: "steps.py:total")
            .replacingOccurrences(of: "outputs: values", with: "outputs: vals")
            .write(to: spec, atomically: true, encoding: .utf8)
        let outcome = try flowspec(["run", "flow.yaml", "--store", "st"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("flow.yaml:8:10: error[FS0402]: step 'end' cannot bind parameter 'values' of total"),
                "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("start-ran").path))
    }
}
