import FlowStore
import Foundation
import Testing

/// A finished store can be read by anyone who can read its files: another user, a read-only
/// copy, a read-only mount.
@Suite(.serialized) struct StoreAccessTests {
    /// A finished run's store, in a scratch folder every user can enter.
    private func finishedStore() throws -> (folder: URL, store: URL) {
        let folder = try scratchFolder("access")
        try "def a():\n    return 41\n\ndef b(x):\n    return x + 1\n"
            .write(to: folder.appendingPathComponent("s.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Shared\nsteps:\n  start: {run: s.py:a, outputs: x, next: end}\n  end: {run: s.py:b, outputs: y}\n"
            .write(to: folder.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let run = try flowspec(["run", "r.yaml", "--store", store.path, "-q"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        return (folder, store)
    }

    /// Copies of the binary and the Python client in `folder`, where user `nobody` can reach them.
    private func shareTools(into folder: URL) throws {
        try FileManager.default.copyItem(at: flowspecBinary, to: folder.appendingPathComponent("flowspec"))
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("python"), to: folder.appendingPathComponent("python"))
    }

    /// What every reader says about the store at `store`: `runs`, `get` and the Python client,
    /// run as root or as user `nobody`.
    private func readEverything(_ store: String, in folder: URL, asNobody: Bool) throws {
        func run(_ command: [String]) throws -> Outcome {
            let user = asNobody ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
            return try runProgram(user + command, in: folder,
                                  environment: ["PYTHONPATH": folder.appendingPathComponent("python").path, "HOME": folder.path])
        }
        let binary = folder.appendingPathComponent("flowspec").path
        let runs = try run([binary, "runs", "--store", store])
        #expect(runs.status == 0 && runs.stdout.contains("completed"), "\(runs.stderr)")
        let got = try run([binary, "get", "Shared/latest/y", "--store", store])
        #expect(got.status == 0 && got.stdout == "42\n", "\(got.stderr)")
        let script = "from flowspec import Flow\nrun = Flow('Shared', store=\(String(reflecting: store))).latest_run\nprint(run.status, run.data.y)\n"
        let python = try run(["/usr/bin/python3", "-c", script])
        #expect(python.stdout == "completed 42\n", "\(python.stderr)")
    }

    @Test func anotherUserReadsAReadOnlyCopyOfAStore() throws {
        let (folder, store) = try finishedStore()
        try shareTools(into: folder)
        let copy = folder.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: store, to: copy)
        let chmod = try runProgram(["/bin/chmod", "-R", "a-w", copy.path])
        try #require(chmod.status == 0)
        try readEverything(copy.path, in: folder, asNobody: true)
        try readEverything(store.path, in: folder, asNobody: true)
    }

    @Test func aStoreOnAReadOnlyMountIsReadable() throws {
        let (folder, store) = try finishedStore()
        try shareTools(into: folder)
        let mounted = folder.appendingPathComponent("mounted")
        try FileManager.default.createDirectory(at: mounted, withIntermediateDirectories: true)
        let mount = try runProgram(["/bin/mount", "--bind", "-o", "ro", store.path, mounted.path])
        try #require(mount.status == 0, "a read-only bind mount needs root, as the test machines have: \(mount.stderr)")
        defer { _ = try? runProgram(["/bin/umount", mounted.path]) }
        #expect(!FileManager.default.isWritableFile(atPath: mounted.path))
        try readEverything(mounted.path, in: folder, asNobody: false)
    }
}
