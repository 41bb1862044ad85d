import Foundation
import Testing

/// What a newcomer meets first: `flowspec` on PATH after set-up, durations in milliseconds, and
/// where the store is.
@Suite struct NewcomerTests {
    /// A flow whose one step fails on its first attempt and succeeds on its second.
    private static func flakyFlow(retry: String) throws -> URL {
        let folder = try scratchFolder("newcomer")
        try """
            import os

            def flaky():
                if not os.path.exists("tried"):
                    open("tried", "w").close()
                    raise ConnectionError("first attempt fails")
                return "second attempt"
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Flaky
            steps:
              start: {run: steps.py:flaky, outputs: result, retry: \(retry)}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func retryDelaysTakeMilliseconds() throws {
        let folder = try Self.flakyFlow(retry: "{times: 1, delay: 100ms}")
        defer { try? FileManager.default.removeItem(at: folder) }
        let linted = try flowspec(["lint", "flow.yaml"], in: folder)
        #expect(linted.status == 0, "\(linted.stdout)")
        let started = Date()
        let ran = try flowspec(["run", "flow.yaml"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(Date().timeIntervalSince(started) >= 0.1, "the retry waited its delay")
        let got = try flowspec(["get", "latest/result"], in: folder)
        #expect(got.stdout == "'second attempt'\n", "\(got.stderr)")
    }

    @Test func aRunSaysWhereItsStoreIsUnlessItIsTheCurrentFolders() throws {
        let folder = try Self.flakyFlow(retry: "1")
        defer { try? FileManager.default.removeItem(at: folder) }
        let here = try flowspec(["run", "flow.yaml"], in: folder)
        #expect(here.status == 0, "\(here.stderr)")
        #expect(!here.stderr.contains("store:"), "\(here.stderr)")
        let sub = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tried"))
        let elsewhere = try flowspec(["run", "../flow.yaml"], in: sub)
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        let line = elsewhere.stderr.split(separator: "\n").first { $0.hasPrefix("store: ") }
        #expect(line == "store: \(sub.path)/.flowspec", "\(elsewhere.stderr)")
    }

    /// Set-up's last step links the binary into ~/.local/bin when that is on PATH, and
    /// otherwise says how, changing nothing.
    @Test func setUpPutsFlowspecOnPathOrSaysHow() throws {
        let home = try scratchFolder("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let localBin = home.appendingPathComponent(".local/bin").path
        let script = repositoryRoot.appendingPathComponent("scripts/link-on-path.sh").path
        let linked = try runProgram([script, flowspecBinary.path], env: ["HOME": home.path, "PATH": localBin + ":/usr/bin:/bin"])
        #expect(linked.status == 0, "\(linked.stdout)\(linked.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: localBin + "/flowspec") == flowspecBinary.path)
        let onPath = try runProgram(["/usr/bin/env", "flowspec", "--version"], env: ["PATH": localBin + ":/usr/bin:/bin"])
        #expect(onPath.status == 0 && !onPath.stdout.isEmpty, "\(onPath.stderr)")

        try FileManager.default.removeItem(atPath: localBin)
        let told = try runProgram([script, flowspecBinary.path], env: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
        #expect(told.status == 0)
        #expect(told.stdout.contains("ln -s \"\(flowspecBinary.path)\" ~/.local/bin/flowspec"), "\(told.stdout)")
        #expect(!FileManager.default.fileExists(atPath: localBin))
    }
}
