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
                                  env: ["PYTHONPATH": folder.appendingPathComponent("python").path, "HOME": folder.path])
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

    /// SQLite would open the copy's database read-only without a word; each command that writes
    /// says up front that it cannot, and the copy is left as it was.
    @Test func everyWriterRefusesAReadOnlyCopyUpFront() throws {
        let (folder, store) = try finishedStore()
        try shareTools(into: folder)
        let copy = folder.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: store, to: copy)
        try #require(try runProgram(["/bin/chmod", "-R", "a-w", copy.path]).status == 0)
        defer { _ = try? runProgram(["/bin/chmod", "-R", "u+w", copy.path]) }
        let before = try runProgram(["/usr/bin/find", copy.path, "-printf", "%p %s %T@\\n"]).stdout
        let writers = [["run", "r.yaml"], ["resume", "r.yaml"], ["tag", "add", "Shared/latest", "x"], ["gc"]]
        for command in writers {
            let user = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", folder.appendingPathComponent("flowspec").path]
            let refused = try runProgram(user + command + ["--store", copy.path], in: folder)
            #expect(refused.status == 1, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("error: the store at '\(copy.path)' cannot be written (Permission denied)"),
                    "\(command): \(refused.stderr)")
        }
        #expect(try runProgram(["/usr/bin/find", copy.path, "-printf", "%p %s %T@\\n"]).stdout == before)
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

extension StoreAccessTests {
    /// `get -o` writes a regular file atomically and replaces nothing else: not a device, a
    /// pipe or a symbolic link.
    @Test func getOutputReplacesOnlyARegularFile() throws {
        let (folder, store) = try finishedStore()
        let device = folder.appendingPathComponent("full").path
        #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0, "a device node (/dev/full's numbers) needs root")
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.appendingPathComponent("r.yaml").path)
        for target in [device, fifo, link] {
            let got = try flowspec(["get", "Shared/latest/y", "--store", store.path, "-o", target], in: folder)
            #expect(got.status == 1 && got.stderr.contains("is not a regular file"), "\(target): \(got.stderr)")
        }
        var info = stat()
        #expect(stat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "the device is still a device")
        #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK, "the link is still a link")
        let file = folder.appendingPathComponent("y.pkl")
        try Data("old".utf8).write(to: file)
        let got = try flowspec(["get", "Shared/latest/y", "--store", store.path, "-o", file.path], in: folder)
        #expect(got.status == 0, "\(got.stderr)")
        let loaded = try runProgram(["/usr/bin/env", "python3", "-c", "import pickle, sys; print(pickle.load(open(sys.argv[1], 'rb')))", file.path])
        #expect(loaded.stdout == "42\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".flowspec-get-") }
        #expect(leftovers.isEmpty)
    }

    /// A `file` param's blob is no more readable than the file it was read from.
    @Test func aFileParamsBlobKeepsItsSourcesPrivacy() throws {
        let folder = try scratchFolder("access")
        try "def read(data):\n    return len(data)\n".write(to: folder.appendingPathComponent("s.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Private\nparams:\n  data: {type: file, default: secret.txt}\nsteps:\n  start: {run: s.py:read, args: {data: data}, outputs: n}\n"
            .write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let secret = folder.appendingPathComponent("secret.txt")
        try "the password is swordfish\n".write(to: secret, atomically: true, encoding: .utf8)
        #expect(chmod(secret.path, 0o600) == 0)
        let store = folder.appendingPathComponent("store").path
        let run = try flowspec(["run", "p.yaml", "--store", store, "-q"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let reader = try StoreReader(path: store)
        let param = try #require(try reader.run("latest").params["data"])
        let attributes = try FileManager.default.attributesOfItem(atPath: try reader.blobPath(param.blob))
        let mode = try #require(attributes[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0, "the blob of a private file is readable by others: \(String(mode, radix: 8))")
    }
}
