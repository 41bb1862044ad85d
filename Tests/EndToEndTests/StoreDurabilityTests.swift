import FlowStore
import Foundation
import Testing

/// Blobs reach the disk before the records that name them, and the store mends what a crash or
/// a damaged disk leaves behind.
@Suite(.serialized) struct StoreDurabilityTests {
    private static func flow(in folder: URL) throws {
        try "def a():\n    return list(range(1000))\n\ndef b(x):\n    return sum(x)\n"
            .write(to: folder.appendingPathComponent("s.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Durable\nsteps:\n  start: {run: s.py:a, outputs: x, next: end}\n  end: {run: s.py:b, outputs: y}\n"
            .write(to: folder.appendingPathComponent("d.yaml"), atomically: true, encoding: .utf8)
    }

    /// Traced system calls: every blob renamed into place (by a worker or the scheduler) is
    /// flushed by a `syncfs` before the run's last write to the database's log; a blob the
    /// scheduler writes itself is flushed before its very next write to the log.
    @Test func blobsAreSyncedBeforeTheRecordsThatNameThemCommit() throws {
        let folder = try scratchFolder("durable")
        try Self.flow(in: folder)
        let trace = folder.appendingPathComponent("trace").path
        let run = try runProgram(["/usr/bin/strace", "-f", "-y", "-o", trace, "-e", "trace=rename,renameat,renameat2,syncfs,pwrite64",
                                  flowspecBinary.path, "run", "d.yaml", "--store", "store", "-q"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let isRename = { (line: Substring) in line.contains("rename") && line.contains("/store/blobs/") }
        let isSync = { (line: Substring) in line.contains("syncfs(") && line.hasSuffix("= 0") }
        let isLogWrite = { (line: Substring) in line.contains("pwrite64(") && line.contains("flowspec.db-wal>") }
        let renames = lines.indices.filter { isRename(lines[$0]) }
        let lastLogWrite = try #require(lines.indices.last { isLogWrite(lines[$0]) })
        #expect(renames.count >= 3, "the spec and two values")
        for index in renames {
            #expect(lines[index..<lastLogWrite].contains(where: isSync), "not synced: \(lines[index])")
        }
        // The threads that write the log are the scheduler's; so are the blobs they rename.
        let thread = { (line: Substring) in line.split(separator: " ").first ?? "" }
        let writers = Set(lines.filter(isLogWrite).map(thread))
        let own = renames.filter { writers.contains(thread(lines[$0])) }
        #expect(!own.isEmpty, "the scheduler stores the spec itself")
        for index in own {
            let next = try #require(lines[index...].firstIndex { isSync($0) || isLogWrite($0) })
            #expect(isSync(lines[next]), "logged before it was synced: \(lines[index])")
        }
    }

    /// The blobs of the latest run: its spec and its artifacts.
    private static func blobs(_ reader: StoreReader) throws -> [String] {
        let run = try reader.run("latest")
        let artifacts = try reader.tasks(of: run.id).flatMap { try reader.artifacts(of: $0.id) }.map(\.value.blob)
        return [try #require(run.specBlob)] + artifacts
    }

    @Test func aDamagedBlobIsReplacedWhenALaterRunWritesTheSameValue() throws {
        let folder = try scratchFolder("durable")
        try Self.flow(in: folder)
        let store = folder.appendingPathComponent("store").path
        #expect(try flowspec(["run", "d.yaml", "--store", store, "-q"], in: folder).status == 0)
        let hashes = try Self.blobs(try StoreReader(path: store))
        try #require(hashes.count == 3)
        for (number, hash) in hashes.enumerated() {
            let path = try StoreReader(path: store).blobPath(hash)
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            if number == 1 { bytes.removeLast(3) } else { bytes[bytes.count / 2] ^= 0xFF }  // truncated, or a flipped byte
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let reader = try StoreReader(path: store)
        #expect(try hashes.allSatisfy { try !reader.verifyBlob($0) })
        #expect(try flowspec(["run", "d.yaml", "--store", store, "-q"], in: folder).status == 0)
        #expect(try Self.blobs(try StoreReader(path: store)) == hashes)
        for hash in hashes { #expect(try reader.verifyBlob(hash), "blob \(hash) is still damaged") }
    }

    @Test func theNextRunRemovesTemporaryFilesWhoseWriterIsGone() throws {
        let folder = try scratchFolder("durable")
        try Self.flow(in: folder)
        let store = folder.appendingPathComponent("store")
        #expect(try flowspec(["run", "d.yaml", "--store", store.path, "-q"], in: folder).status == 0)
        let gone = try startedAndEnded()
        let tmp = store.appendingPathComponent("tmp")
        let abandoned = tmp.appendingPathComponent("\(String(repeating: "ab", count: 32)).\(gone).1f2e3d4c")
        let live = tmp.appendingPathComponent("\(String(repeating: "cd", count: 32)).\(getpid()).5a6b7c8d")
        for file in [abandoned, live] { try Data(repeating: 7, count: 1 << 20).write(to: file) }
        #expect(try flowspec(["run", "d.yaml", "--store", store.path, "-q"], in: folder).status == 0)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path), "a dead writer's file is left")
        #expect(FileManager.default.fileExists(atPath: live.path), "a live writer's file was removed")
    }

    /// The pid of a process that has ended.
    private func startedAndEnded() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

extension StoreDurabilityTests {
    /// The database deleted, or truncated, while a run writes to it: the run fails saying so.
    @Test(arguments: ["delete", "truncate"])
    func aDatabaseDeletedOrTruncatedDuringARunFailsTheRun(damage: String) throws {
        let folder = try scratchFolder("durable")
        try "import time\n\ndef items():\n    return list(range(40))\n\ndef work(item):\n    time.sleep(0.05)\n    return item\n\ndef total(values):\n    return sum(values)\n"
            .write(to: folder.appendingPathComponent("k.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: K
            steps:
              start: {run: k.py:items, outputs: xs, next: work}
              work: {foreach: xs, run: k.py:work, outputs: v, next: join}
              join: {join: true, run: k.py:total, args: {values: inputs.v}, outputs: total}
            """.write(to: folder.appendingPathComponent("k.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store")
        let stdout = folder.appendingPathComponent("stdout"), stderr = folder.appendingPathComponent("stderr")
        for file in [stdout, stderr] { #expect(FileManager.default.createFile(atPath: file.path, contents: nil)) }
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["run", "k.yaml", "--store", store.path, "-q"]
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOf: stdout, encoding: .utf8))?.contains("\n") != true, Date() < deadline { usleep(10_000) }
        usleep(200_000)
        let database = store.appendingPathComponent("flowspec.db").path
        if damage == "delete" {
            #expect(unlink(database) == 0)
        } else {
            #expect(truncate(database, 0) == 0)
        }
        process.waitUntilExit()
        let errors = try String(contentsOf: stderr, encoding: .utf8)
        #expect(process.terminationStatus == 1)
        #expect(errors.contains(damage == "delete" ? "the database was deleted or replaced" : "the database was truncated"), "\(errors)")
        #expect(!errors.contains("completed"), "\(errors)")
    }
}
