import Foundation
import Testing

/// Paths with `..` mean what they mean to a shell, in every command: each test runs the built
/// binary from another folder than the spec's, beside decoy files that a wrong resolution
/// would pick up silently.
@Suite struct UserPathCommandTests {
    /// `ROOT/proj/` holds the flow, its `steps.py`, `helpers.py` (a module target) and
    /// `data.txt` (a file param's default); `ROOT/proj/sub/` holds decoys of all three, and
    /// `ROOT/linked` is a symlink to `ROOT/proj/sub`.
    private static func project() throws -> URL {
        let root = try scratchFolder("paths")
        let proj = root.appendingPathComponent("proj"), sub = proj.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("linked"), withDestinationURL: sub)
        try """
            flowspec: 1
            name: Where
            params:
              data: {type: file, default: data.txt}
            steps:
              start: {run: steps.py:where, outputs: place, next: end}
              end: {run: helpers:mark, args: {place: place}, outputs: marked}
            """.write(to: proj.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        for (folder, label) in [(proj, "proj"), (sub, "DECOY")] {
            try "def where(data):\n    return '\(label) ' + data.strip()\n"
                .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
            try "def mark(place):\n    return place + ' \(label)-helpers'\n"
                .write(to: folder.appendingPathComponent("helpers.py"), atomically: true, encoding: .utf8)
            try "\(label)-data\n".write(to: folder.appendingPathComponent("data.txt"), atomically: true, encoding: .utf8)
        }
        return root
    }

    private func get(_ target: String, store: String, in folder: URL) throws -> String {
        let outcome = try flowspec(["get", target, "--store", store], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func runTakesTheSpecsOwnFilesAndTheStoreWhereTheShellSays() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("proj/sub")
        let outcome = try flowspec(["run", "../flow.yaml", "--store", "x/../st"], in: sub)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: sub.appendingPathComponent("st/flowspec.db").path),
                "x/../st is st in the current folder")
        #expect(!FileManager.default.fileExists(atPath: sub.appendingPathComponent("x").path))
        #expect(try get("latest/marked", store: "st", in: sub) == "'proj proj-data proj-helpers'")
        let resumed = try flowspec(["resume", "../flow.yaml", "--from", "start", "--store", "y/../st"], in: sub)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try get("latest/marked", store: "st", in: sub) == "'proj proj-data proj-helpers'")
    }

    /// From a folder reached through a symlink, `..` is the parent of the real folder, as the
    /// kernel opens it, and the spec's own files come from beside the spec it read.
    @Test func runFromASymlinkedFolderGoesUpFromTheRealOne() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        try "flowspec: 1\nname: Decoy\nsteps:\n  start: {}\n"
            .write(to: root.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let linked = root.appendingPathComponent("linked")
        let outcome = try flowspec(["run", "../flow.yaml", "--store", "../st"], in: linked)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("Where/"), "\(outcome.stdout)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("proj/st/flowspec.db").path))
        #expect(try get("latest/marked", store: root.appendingPathComponent("proj/st").path, in: root)
                == "'proj proj-data proj-helpers'")
    }

    @Test func fileParamsResolveFromWhereTheyAreWritten() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("proj/sub")
        try "parent-data\n".write(to: root.appendingPathComponent("proj/given.txt"), atomically: true, encoding: .utf8)
        let store = root.appendingPathComponent("st").path
        let up = try flowspec(["run", "../flow.yaml", "-p", "data=../given.txt", "--store", store], in: sub)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(try get("latest/place", store: store, in: sub) == "'proj parent-data'")
        // linked/.. is proj (the real parent of sub), where given.txt is; ROOT has none.
        let through = try flowspec(["run", "proj/flow.yaml", "-p", "data=linked/../given.txt", "--store", store], in: root)
        #expect(through.status == 0, "\(through.stderr)")
        #expect(try get("latest/place", store: store, in: root) == "'proj parent-data'")
    }

    @Test func planNamesTheSpecWhereTheShellSays() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let outcome = try flowspec(["plan", "../flow.yaml", "--format", "json"], in: root.appendingPathComponent("proj/sub"))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let spec = try #require(plan["spec"] as? String)
        #expect(spec.hasSuffix("/proj/flow.yaml") && !spec.contains(".."), "\(spec)")
        let params = try #require(plan["params"] as? [String: Any])
        #expect("\(params["data"] ?? "")".contains("/proj/data.txt"), "\(params)")
    }

    @Test func readersTakeTheStoreFromTheEnvironmentAndWriteWhereTheShellSays() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let proj = root.appendingPathComponent("proj"), sub = proj.appendingPathComponent("sub")
        let ran = try flowspec(["run", "flow.yaml", "--store", "st"], in: proj)
        #expect(ran.status == 0, "\(ran.stderr)")
        let env = ["FLOWSPEC_STORE": "../st"]
        let runs = try flowspec(["runs"], in: sub, env: env)
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout.contains("Where/"), "\(runs.stdout)")
        for command in [["inspect", "latest"], ["logs", "latest/start"]] {
            let read = try flowspec(command, in: sub, env: env)
            #expect(read.status == 0, "\(command): \(read.stderr)")
        }
        let written = try flowspec(["get", "latest/place", "-o", "../f.pkl"], in: sub, env: env)
        #expect(written.status == 0, "\(written.stderr)")
        let read = try runProgram(["/usr/bin/env", "python3", "-c", "import pickle; print(pickle.load(open('f.pkl', 'rb')))"], in: proj)
        #expect(read.stdout == "proj proj-data\n", "\(read.stderr)")
    }

    @Test func deepLintReadsTheSpecsOwnPython() throws {
        let root = try Self.project()
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("proj/sub")
        try "def elsewhere():\n    pass\n".write(to: sub.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        let outcome = try flowspec(["lint", "--deep", "../flow.yaml"], in: sub)
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(!outcome.stdout.contains("FS04"), "\(outcome.stdout)")
    }
}
