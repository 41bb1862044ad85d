import Foundation
import Testing

/// `flowspec code RUN [-o DIR]` through the built binary: the snapshot listed, written, and
/// run again from where it was written.
@Suite struct CodeCommandTests {
    /// A flow whose steps come from a module in a package under `src/`, a `.py` file and a
    /// notebook, run once; its folder, store and `FLOW/ID`.
    private static func ranFlow() throws -> (folder: URL, store: String, run: String) {
        let folder = try scratchFolder("code")
        let files = [
            "src/tools/__init__.py": "",
            "src/tools/scale.py": "def double(n):\n    return [2 * x for x in range(n)]\n",
            "steps.py": "def total(values):\n    return sum(values)\n",
            "flow.yaml": """
                flowspec: 1
                name: Snapshot
                python: {path: [src]}
                params:
                  n: {type: int, default: 4}
                steps:
                  start: {run: tools.scale:double, outputs: values, next: sum}
                  sum: {run: steps.py:total, outputs: total, next: end}
                  end: {run: report.ipynb:report, outputs: text}

                """,
            "report.ipynb": try notebook("def report(total):\n    return f'total={total}'\n"),
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let store = folder.appendingPathComponent("store").path
        let outcome = try flowspec(["run", "flow.yaml", "-q", "--store", store], in: folder)
        guard outcome.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["stderr": outcome.stderr]) }
        return (folder, store, String(outcome.stdout.split(separator: "\n")[0]))
    }

    private static func notebook(_ code: String) throws -> String {
        let cell: [String: Any] = ["cell_type": "code", "execution_count": NSNull(), "metadata": [String: Any](), "outputs": [Any](),
                                   "source": [code]]
        let object: [String: Any] = ["cells": [cell], "metadata": [String: Any](), "nbformat": 4, "nbformat_minor": 5]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func listsTheSpecAndEveryFileTheRunRan() throws {
        let (folder, store, run) = try Self.ranFlow()
        let outcome = try flowspec(["code", run, "--store", store], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = outcome.stdout.split(separator: "\n").dropFirst(2).map { String($0.split(separator: " ")[0]) }
        #expect(outcome.stdout.hasPrefix("\(run): the spec and 4 files\n"))
        #expect(rows == ["flow.yaml", "report.ipynb", "src/tools/__init__.py", "src/tools/scale.py", "steps.py"])
        #expect(outcome.stdout.contains("module tools.scale"))
    }

    @Test func writesTheSnapshotSoThatTheRunRunsAgainFromIt() throws {
        let (folder, store, run) = try Self.ranFlow()
        let output = folder.appendingPathComponent("then")
        let written = try flowspec(["code", run, "-o", output.path, "--store", store], in: folder)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("to run it again: flowspec run \(output.path)/flow.yaml"))
        for path in ["flow.yaml", "report.ipynb", "src/tools/__init__.py", "src/tools/scale.py", "steps.py"] {
            #expect(try Data(contentsOf: output.appendingPathComponent(path)) == Data(contentsOf: folder.appendingPathComponent(path)), "\(path)")
        }
        // The original changes; the snapshot still runs the code as it was.
        try "def total(values):\n    return -1\n".write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        let again = try flowspec(["run", "then/flow.yaml", "--store", store, "-q"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let rerun = String(again.stdout.split(separator: "\n")[0])
        #expect(try flowspec(["get", "\(rerun)/text", "--store", store], in: folder).stdout == "'total=12'\n")
        #expect(try flowspec(["get", "\(run)/text", "--store", store], in: folder).stdout == "'total=12'\n")
    }

    @Test func filesFromAboveTheSpecsFolderAreWrittenWhereTheSpecFindsThem() throws {
        let folder = try scratchFolder("code-up")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("flows/nightly"), withIntermediateDirectories: true)
        try "def one():\n    return 1\n".write(to: folder.appendingPathComponent("lib/helpers.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Up\npython: {path: [../../lib]}\nsteps:\n  start: {run: helpers:one, outputs: x, next: end}\n  end: {}\n"
            .write(to: folder.appendingPathComponent("flows/nightly/f.yaml"), atomically: true, encoding: .utf8)
        let ran = try flowspec(["run", "flows/nightly/f.yaml", "-q", "--store", "store"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let written = try flowspec(["code", "latest", "-o", "then", "--store", "store"], in: folder)
        #expect(written.status == 0 && written.stderr.contains("flowspec run then/flows/nightly/f.yaml"), "\(written.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("then/lib/helpers.py").path))
        try "def one():\n    return 2\n".write(to: folder.appendingPathComponent("lib/helpers.py"), atomically: true, encoding: .utf8)
        let again = try flowspec(["run", "then/flows/nightly/f.yaml", "-q", "--store", "store"], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try flowspec(["get", "latest/start/x", "--store", "store"], in: folder).stdout == "1\n", "the snapshot's helpers ran")
    }

    @Test func neverWritesIntoAFolderThatHoldsSomething() throws {
        let (folder, store, run) = try Self.ranFlow()
        let refused = try flowspec(["code", run, "-o", ".", "--store", store], in: folder)
        #expect(refused.status == 1 && refused.stderr.contains("'.' is not empty: give a new or empty folder"))
        let file = try flowspec(["code", run, "-o", "steps.py", "--store", store], in: folder)
        #expect(file.status == 1 && file.stderr.contains("'steps.py' is a file"))
        let unknown = try flowspec(["code", "Snapshot/" + run.split(separator: "/")[1].dropLast() + "z", "--store", store], in: folder)
        #expect(unknown.status == 1 && unknown.stderr.contains("did you mean '\(run)'?"))
    }

    @Test func writesWhatTheRunReadOfItsFileParamsSoThatItRunsTheSame() throws {
        let folder = try scratchFolder("code-movies")
        let store = folder.appendingPathComponent("store").path
        let ran = try flowspec(["run", "examples/movies/movies.yaml", "-q", "-p", "top=3", "--store", store])
        #expect(ran.status == 0, "\(ran.stderr)")
        let first = String(ran.stdout.split(separator: "\n")[0])
        let output = folder.appendingPathComponent("then").path
        let written = try flowspec(["code", first, "-o", output, "--store", store])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("wrote what the run read of its file params: 'data/movies.csv'"))
        let data = try Data(contentsOf: URL(fileURLWithPath: output + "/data/movies.csv"))
        let original = try Data(contentsOf: repositoryRoot.appendingPathComponent("examples/movies/data/movies.csv"))
        #expect(data == original)
        let again = try flowspec(["run", output + "/movies.yaml", "-q", "-p", "top=3", "--store", store])
        #expect(again.status == 0, "\(again.stderr)")
        let second = String(again.stdout.split(separator: "\n")[0])
        let table = try flowspec(["get", first + "/end", "--store", store]).stdout
        let tableAgain = try flowspec(["get", second + "/end", "--store", store]).stdout
        #expect(!table.isEmpty && table == tableAgain)
    }

    /// Small and large text and bytes: each length a pickle writes differently (1, 4 bytes).
    @Test func fileParamsComeBackByteForByte() throws {
        let folder = try scratchFolder("code-bytes")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let files: [String: Data] = [
            "data/small.txt": Data("é\n".utf8), "data/large.txt": Data(String(repeating: "ünïcode row\n", count: 9000).utf8),
            "data/small.bin": Data([0x80, 0x00, 0xFF]), "data/large.bin": Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) }),
        ]
        for (path, data) in files { try data.write(to: folder.appendingPathComponent(path)) }
        try """
            flowspec: 1
            name: Bytes
            params:
              a: {type: file, default: data/small.txt}
              b: {type: file, default: data/large.txt}
              c: {type: file, binary: true, default: data/small.bin}
              d: {type: file, binary: true, default: data/large.bin}
            steps:
              end: {}

            """.write(to: folder.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        #expect(try flowspec(["run", "f.yaml", "-q", "--store", "store"], in: folder).status == 0)
        let written = try flowspec(["code", "latest", "-o", "then", "--store", "store"], in: folder)
        #expect(written.status == 0, "\(written.stderr)")
        for (path, data) in files {
            #expect(try Data(contentsOf: folder.appendingPathComponent("then/" + path)) == data, "\(path)")
        }
    }

    @Test func aFileParamWhoseDefaultLiesOutsideTheFolderIsNamed() throws {
        let folder = try scratchFolder("code-outside")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("flow"), withIntermediateDirectories: true)
        try "rows\n".write(to: folder.appendingPathComponent("rows.txt"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Out\nparams:\n  rows: {type: file, default: ../rows.txt}\nsteps:\n  end: {}\n"
            .write(to: folder.appendingPathComponent("flow/f.yaml"), atomically: true, encoding: .utf8)
        #expect(try flowspec(["run", "flow/f.yaml", "-q", "--store", "store"], in: folder).status == 0)
        let written = try flowspec(["code", "latest", "-o", "then", "--store", "store"], in: folder)
        #expect(written.status == 1 && written.stderr.contains("param 'rows': its default '../rows.txt' lies outside the folder"))
        #expect(written.stderr.contains("the code is written: flowspec run then/f.yaml -p NAME=PATH"), "\(written.stderr)")
    }
}
