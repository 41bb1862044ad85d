import FlowStore
import Foundation
import Testing

/// `flowspec lint --deep` and notebook steps, through the built binary and the real `python3`.
@Suite struct DeepLintTests {
    /// A folder holding `flow.yaml` and `steps.py`: a missing function and an unbindable parameter.
    private static func brokenFlow() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-deep-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            def load():
                return [1, 2, 3]


            def total(values, scale):
                return sum(values) * scale
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Broken
            steps:
              start:
                run: steps.py:load
                outputs: values
                next: middle
              middle:
                run: steps.py:totl
                next: end
              end:
                run: steps.py:total
                args: {value: values}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func reportsAMissingFunctionAndUnbindableParametersAtTheirPlaces() throws {
        let folder = try Self.brokenFlow()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try flowspec(["lint", "--deep", "flow.yaml"], in: folder)
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let missing = try #require(lines.first { $0.hasPrefix("flow.yaml:9:10: error[") }, "\(outcome.stdout)")
        #expect(missing.contains("has no function 'totl'; it defines: load, total"))
        let unbound = try #require(lines.first { $0.hasPrefix("flow.yaml:12:10: error[") }, "\(outcome.stdout)")
        #expect(unbound.contains("step 'end' cannot bind parameter 'scale' of total"))
        #expect(unbound.contains("visible names: middle, values"))
        let unknown = try #require(lines.first { $0.hasPrefix("flow.yaml:13:12: error[") }, "\(outcome.stdout)")
        #expect(unknown.contains("step 'end' binds 'value', but total has no parameter 'value'"))
        #expect(outcome.stdout.contains("steps.py:5:1: note: 'total' is defined here"))
        #expect(outcome.stdout.contains("flow.yaml: 3 errors"))
    }

    @Test func plainLintDoesNotLookAtThePython() throws {
        let folder = try Self.brokenFlow()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try flowspec(["lint", "flow.yaml"], in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "flow.yaml: ok, 3 steps\n")
    }

    @Test func theNotebookExampleIsClean() throws {
        let outcome = try flowspec(["lint", "--deep", "examples/notebook_features/flow.yaml", "examples/movies/movies.yaml"])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout == "examples/notebook_features/flow.yaml: ok, 3 steps\nexamples/movies/movies.yaml: ok, 4 steps\n")
    }

    @Test func runsTheNotebookExample() throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-nb-\(UUID())")
        defer { try? FileManager.default.removeItem(at: store) }
        let outcome = try flowspec(["run", "examples/notebook_features/flow.yaml", "--store", store.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("StationFeatures/"))
        let reader = try StoreReader(path: store.path)
        let id = try #require(outcome.stdout.split(separator: "\n").first.map(String.init))
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run(id).id))
        let features = try #require(artifacts["features"]?.value.repr)
        #expect(features.contains("'station': 'coast'") && features.contains("'wet_days': 3"), "\(features)")
        #expect(artifacts["end"]?.value.repr.contains("coast") == true)
    }

    /// A 200,000-term expression is more than Python's parser can hold (RecursionError): a
    /// located finding naming the file, never a traceback.
    @Test func codeTooDeepForThePythonParserIsALocatedError() throws {
        let folder = try scratchFolder("deep-too-deep")
        defer { try? FileManager.default.removeItem(at: folder) }
        let terms = Array(repeating: "1", count: 200_000).joined(separator: "+")
        try "def f():\n    return 1\n\nx = \(terms)\n".write(
            to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Deep\nsteps:\n  start: {run: steps.py:f}\n".write(
            to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        for command in [["lint", "--deep", "flow.yaml"], ["run", "flow.yaml", "--store", "st"]] {
            let outcome = try flowspec(command, in: folder)
            let output = outcome.stdout + outcome.stderr
            #expect(outcome.status == 1)
            #expect(output.contains("flow.yaml:4:16: error[FS0403]: cannot load \(folder.resolvingSymlinksInPath().path)/steps.py: "
                + "the code is nested too deeply or is too long for Python's parser"), "\(command): \(output)")
            #expect(!output.contains("Traceback"), "\(output)")
        }
    }
}
