import FlowStore
import Foundation
import Testing

/// What `gc` never does: delete what a running run uses, or touch a store it may only read.
@Suite struct GcSafetyTests {
    /// A flow whose second step writes a blob itself, says so in `ready`, waits for `go`, and
    /// then returns that blob's value: until then no record names the blob.
    private func slowFlow(in folder: GcFolder) throws -> (ready: URL, go: URL) {
        let ready = folder.folder.appendingPathComponent("ready"), go = folder.folder.appendingPathComponent("go")
        try """
            import os, time

            def first():
                return "from the first step"

            def early(store, ready, go):
                from flowspec._runtime import blobs
                value = "written before it was recorded " * 100
                blobs.write_value(store, "early", value)
                open(ready, "w").close()
                while not os.path.exists(go):
                    time.sleep(0.02)
                return value

            """.write(to: folder.folder.appendingPathComponent("slow.py"), atomically: true, encoding: .utf8)
        let with = "{store: \(String(reflecting: folder.store)), ready: \(String(reflecting: ready.path)), go: \(String(reflecting: go.path))}"
        try """
            flowspec: 1
            name: Slow
            steps:
              start: {run: slow.py:first, outputs: x, next: wait}
              wait: {run: slow.py:early, with: \(with), outputs: late, next: end}
              end: {}

            """.write(to: folder.folder.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        return (ready, go)
    }

    /// A blob file no record names, modified an hour ago.
    private func oldGarbage(in store: String) throws -> String {
        let bytes = Array("garbage".utf8)
        let path = try StoreLayout(root: store).blobPath(BlobHash.of(bytes))
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: path)
        return path
    }

    @Test func aRunningRunAndWhatItHasNotRecordedYetSurvive() throws {
        let folder = try GcFolder("gc-live")
        let (ready, go) = try slowFlow(in: folder)
        let old = try [1, 2].map { try folder.run("many.yaml", ["seed=\($0)"]) }
        FileManager.default.createFile(atPath: go.path, contents: nil)
        let finished = try folder.run("slow.yaml")
        try FileManager.default.removeItem(at: go)
        try FileManager.default.removeItem(at: ready)
        let garbage = try oldGarbage(in: folder.store)

        let live = Process()
        live.executableURL = flowspecBinary
        live.arguments = ["run", "slow.yaml", "--store", folder.store, "-q"]
        live.currentDirectoryURL = folder.folder
        live.standardOutput = FileHandle.nullDevice
        live.standardError = FileHandle.nullDevice
        try live.run()
        while !FileManager.default.fileExists(atPath: ready.path) && live.isRunning { usleep(20_000) }
        try #require(live.isRunning, "the slow run ended early")

        let report = try folder.gc(["--keep-last", "0"])
        let running = try #require((report["kept_running"] as? [String])?.first)
        #expect(Set(report["deleted_runs"] as? [String] ?? []) == Set(old + [finished]))
        #expect(!FileManager.default.fileExists(atPath: garbage), "old garbage goes even while a run runs")
        #expect((report["blobs_left"] as? Int ?? 0) >= 1, "the blob the step wrote is left: \(report)")

        FileManager.default.createFile(atPath: go.path, contents: nil)
        live.waitUntilExit()
        #expect(live.terminationStatus == 0)
        let got = try folder.command(["get", "\(running)/wait/late"])
        #expect(got.status == 0 && got.stdout.hasPrefix("'written before it was recorded written"), "\(got.stderr)")
        #expect(try folder.command(["get", "\(running)/start/x"]).stdout == "'from the first step'\n")
        #expect(try storeProblems(folder.store) == [])
    }

    @Test func aStoreThatCannotBeWrittenIsAClearErrorAndADryRunStillReads() throws {
        let folder = try GcFolder("gc-readonly")
        try folder.run("many.yaml")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.folder.path)
        try FileManager.default.copyItem(at: flowspecBinary, to: folder.folder.appendingPathComponent("flowspec"))
        #expect(try runProgram(["/bin/chmod", "-R", "a-w", folder.store]).status == 0)
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        folder.folder.appendingPathComponent("flowspec").path, "gc", "--store", folder.store]
        let refused = try runProgram(asNobody + ["--keep-last", "0"], in: folder.folder, env: ["HOME": folder.folder.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error: the store at '\(folder.store)' cannot be written ("), "\(refused.stderr)")
        #expect(refused.stderr.contains("Permission denied"), "\(refused.stderr)")
        #expect(refused.stderr.contains("hint: `flowspec gc --dry-run` only reads"), "\(refused.stderr)")
        let dry = try runProgram(asNobody + ["--keep-last", "0", "--dry-run"], in: folder.folder, env: ["HOME": folder.folder.path])
        #expect(dry.status == 0 && dry.stdout.hasPrefix("would delete 1 run (Many 1)"), "\(dry.stderr)")
        #expect(try folder.runs().count == 1)
    }

    @Test func aStoreOnAReadOnlyMountIsAClearError() throws {
        let folder = try GcFolder("gc-mount")
        try folder.run("many.yaml")
        let mounted = folder.folder.appendingPathComponent("mounted")
        try FileManager.default.createDirectory(at: mounted, withIntermediateDirectories: true)
        let mount = try runProgram(["/bin/mount", "--bind", "-o", "ro", folder.store, mounted.path])
        try #require(mount.status == 0, "a read-only bind mount needs root, as the test machines have: \(mount.stderr)")
        defer { _ = try? runProgram(["/bin/umount", mounted.path]) }
        let refused = try flowspec(["gc", "--keep-last", "0", "--store", mounted.path], in: folder.folder)
        #expect(refused.status == 1 && refused.stderr.contains("cannot be written (") && refused.stderr.contains("Read-only file system"),
                "\(refused.stderr)")
        #expect(try folder.runs().count == 1)
    }
}
