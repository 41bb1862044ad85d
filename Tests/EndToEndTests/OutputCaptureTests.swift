import FlowStore
import Foundation
import Testing

/// What tasks print, through the built binary: every route to fds 1 and 2 is kept with the
/// task, a crash keeps what came before it, large output is kept whole, and lines show while
/// the task runs.
@Suite struct OutputCaptureTests {
    /// A folder with `steps.py` and a one-step spec `f.yaml` running `function`.
    private static func flow(_ steps: String, function: String) throws -> URL {
        let folder = try scratchFolder("capture")
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Prints\nsteps:\n  start: {run: steps.py:\(function)}\n"
            .write(to: folder.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// `logs --json` of the run's one task: its last attempt's stdout and stderr.
    private static func logs(in folder: URL) throws -> (stdout: String, stderr: String) {
        let outcome = try flowspec(["logs", "latest/start", "--json", "--store", "st"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let records = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]]
        let record = try #require(records?.first)
        return (record["stdout"] as? String ?? "", record["stderr"] as? String ?? "")
    }

    @Test func whatCPythonASubprocessAndOsWritePrintIsKeptInOrder() throws {
        let folder = try Self.flow("""
            import ctypes, os, subprocess, sys

            def start():
                print("from print")
                os.write(1, b"from os.write\\n")
                ctypes.CDLL(None).puts(b"from C's puts")
                subprocess.run(["sh", "-c", "echo from a subprocess; echo its stderr >&2"], check=True)
                os.write(2, b"stderr from os.write\\n")
            """, function: "start")
        let run = try flowspec(["run", "f.yaml", "--store", "st"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let kept = try Self.logs(in: folder)
        #expect(kept.stdout == "from print\nfrom os.write\nfrom C's puts\nfrom a subprocess\n")
        #expect(kept.stderr == "its stderr\nstderr from os.write\n")
        #expect(run.stdout.contains("[start] from C's puts\n[start] from a subprocess\n"), "\(run.stdout)")
        #expect(run.stderr.contains("[start] its stderr\n"))
    }

    @Test(arguments: ["ctypes.string_at(0)", "os.kill(os.getpid(), signal.SIGSEGV)"])
    func linesPrintedBeforeASegfaultAreKeptWithTheFailedAttempt(crash: String) throws {
        let folder = try Self.flow("""
            import ctypes, os, signal, sys

            def start():
                print("before the crash")
                print("on stderr too", file=sys.stderr)
                \(crash)
            """, function: "start")
        let run = try flowspec(["run", "f.yaml", "--store", "st"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("killed by signal 11 (SIGSEGV)"), "\(run.stderr)")
        #expect(run.stdout.contains("[start] before the crash\n"))
        let kept = try Self.logs(in: folder)
        #expect(kept.stdout == "before the crash\n")
        #expect(kept.stderr.hasPrefix("on stderr too\n"), "\(kept.stderr)")
        let reader = try StoreReader(path: folder.appendingPathComponent("st").path)
        let task = try #require(try reader.tasks(of: try reader.run("latest").id).first)
        let attempt = try #require(try reader.attempts(of: task.id).last)
        #expect(attempt.status == .failed && attempt.stdout == "before the crash\n")
    }

    @Test func fiftyMegabytesOfOutputAreKeptWholeAndTheTaskSucceeds() throws {
        // Quotes and tabs, which JSON escapes: more than a worker message may carry.
        let folder = try Self.flow("""
            import sys

            def start():
                line = "x\\t\\"" * 33 + "\\n"
                for _ in range(500_000):
                    sys.stdout.write(line)
                print("the end", file=sys.stderr)
                return 7
            """, function: "start")
        let run = try flowspec(["run", "f.yaml", "--store", "st", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let logs = try flowspec(["logs", "latest/start", "--store", "st"], in: folder)
        #expect(logs.status == 0)
        #expect(logs.stdout.utf8.count == 50_000_000)
        #expect(logs.stdout.hasPrefix(String(repeating: "x\t\"", count: 33) + "\n"))
        #expect(logs.stderr == "the end\n")
        let reader = try StoreReader(path: folder.appendingPathComponent("st").path)
        #expect(try reader.runArtifacts(of: try reader.run("latest").id)?["start"]?.value.repr == "7")
    }

    @Test func linesShowWhileTheTaskIsStillRunning() throws {
        // The task waits for a file the test writes only once it has seen the task's first line.
        let folder = try Self.flow("""
            import os, time

            def start():
                print("waiting", flush=True)
                for _ in range(300):
                    if os.path.exists("seen"):
                        print("released")
                        return
                    time.sleep(0.05)
                raise RuntimeError("the first line was not shown while the task ran")
            """, function: "start")
        let output = folder.appendingPathComponent("out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["run", "f.yaml", "--store", "st"]
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("[start] waiting\n") {
            usleep(20_000)
        }
        FileManager.default.createFile(atPath: folder.appendingPathComponent("seen").path, contents: nil)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOf: output, encoding: .utf8).contains("[start] waiting\n[start] released\n"))
    }
}
