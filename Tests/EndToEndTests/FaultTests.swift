import FlowStore
import Foundation
import Testing

/// Faults through the built binary: killed schedulers, concurrent runs, corrupt blobs, a full disk.
@Suite(.serialized) struct FaultTests {
    private static func scratch() throws -> URL { try scratchFolder("fault") }

    private static func write(_ text: String, _ name: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func start(_ arguments: [String], in folder: URL, stdout: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        if let stdout {
            #expect(FileManager.default.createFile(atPath: stdout.path, contents: nil))
            process.standardOutput = try FileHandle(forWritingTo: stdout)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A foreach of 300 short tasks: long enough to be killed in the middle.
    private func foreachFlow(in folder: URL) throws {
        try Self.write("import time\n\ndef items():\n    return list(range(300))\n\ndef work(item):\n    time.sleep(0.002)\n    return item\n\ndef total(values):\n    return sum(values)\n", "steps.py", in: folder)
        try Self.write("""
            flowspec: 1
            name: Killed
            steps:
              start: {run: steps.py:items, outputs: xs, next: work}
              work: {foreach: xs, run: steps.py:work, outputs: v, next: join}
              join: {join: true, run: steps.py:total, args: {values: inputs.v}, outputs: total, next: end}
              end: {}
            """, "k.yaml", in: folder)
    }

    @Test func killingTheSchedulerAtRandomMomentsLeavesAReadableStoreThatResumeFinishes() throws {
        let folder = try Self.scratch()
        try foreachFlow(in: folder)
        let store = folder.appendingPathComponent("store").path
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            // Killed at a random moment after the run is recorded (its id is printed then).
            let stdout = folder.appendingPathComponent("stdout-\(round)")
            let process = try start(["run", "k.yaml", "--store", store, "-q"], in: folder, stdout: stdout)
            let deadline = Date().addingTimeInterval(20)
            while (try? String(contentsOf: stdout, encoding: .utf8))?.contains("\n") != true, Date() < deadline { usleep(10_000) }
            usleep(UInt32.random(in: 0...700_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let reader = try StoreReader(path: store)
            let runs = try reader.runs()
            #expect(runs.count == round + 1, "every run is recorded")
            let observed = reader.observedStatus(of: runs[0])
            #expect(observed == .interrupted || observed == .completed, "round \(round): \(observed)")
        }
        let resumed = try flowspec(["resume", "k.yaml", "--store", store, "-q"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let reader = try StoreReader(path: store)
        let newest = try reader.run("latest")
        #expect(newest.status == .completed)
        #expect(try reader.runArtifacts(of: newest.id)?["total"]?.value.repr == "44850")
    }

    @Test func twoRunsOfTheSameFlowAtOnceBothSucceed() throws {
        let folder = try Self.scratch()
        try foreachFlow(in: folder)
        let store = folder.appendingPathComponent("store").path
        let first = try start(["run", "k.yaml", "--store", store, "-q"], in: folder)
        let second = try start(["run", "k.yaml", "--store", store, "-q"], in: folder)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let runs = try StoreReader(path: store).runs()
        #expect(runs.count == 2 && runs.allSatisfy { $0.status == .completed })
    }

    @Test func aCorruptBlobIsAnErrorNamingTheArtifactNeverAWrongValue() throws {
        let folder = try Self.scratch()
        let store = folder.appendingPathComponent("store")
        let run = try flowspec(["run", "examples/movies/movies.yaml", "--store", store.path, "-q"])
        #expect(run.status == 0)
        let reader = try StoreReader(path: store.path)
        let genres = try #require(try reader.runArtifacts(of: try reader.run("latest").id)?["genres"])
        let path = try reader.blobPath(genres.value.blob)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 40)
        try handle.write(contentsOf: Data("garbage".utf8))
        try handle.close()
        let got = try flowspec(["get", "MovieStats/latest/genres", "--store", store.path])
        #expect(got.status == 1)
        #expect(got.stderr.contains("cannot load 'genres'") && got.stderr.contains("is corrupt"))
        #expect(got.stdout.isEmpty)
        let rerun = try flowspec(["resume", "examples/movies/movies.yaml", "--from", "per_genre", "--store", store.path, "-q"])
        #expect(rerun.status == 1)
        #expect(rerun.stderr.contains("cannot read 'genres' to fan out") && rerun.stderr.contains("is corrupt"))
    }

    /// A store on a 2 MB file system that a 4 MB value cannot fit in.
    @Test func aFullDiskIsAClearErrorAndEarlierRunsStayIntact() throws {
        let folder = try Self.scratch()
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mounting a small tmpfs needs root, as the test machines have")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [disk.path]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        try Self.write("def small():\n    return 1\n\ndef big():\n    return b'x' * (4 * 1024 * 1024)\n", "steps.py", in: folder)
        try Self.write("flowspec: 1\nname: Small\nsteps:\n  start: {run: steps.py:small, outputs: n}\n", "small.yaml", in: folder)
        try Self.write("flowspec: 1\nname: Big\nsteps:\n  start: {run: steps.py:big, outputs: payload}\n", "big.yaml", in: folder)
        let store = disk.appendingPathComponent("store").path
        #expect(try flowspec(["run", "small.yaml", "--store", store, "-q"], in: folder).status == 0)
        let full = try flowspec(["run", "big.yaml", "--store", store, "-q"], in: folder)
        #expect(full.status == 1)
        #expect(full.stderr.contains("artifact 'payload'") && full.stderr.contains("No space left on device"))
        let reader = try StoreReader(path: store)
        let small = try reader.run("latest", flow: "Small")
        #expect(small.status == .completed)
        #expect(try reader.runArtifacts(of: small.id)?["n"]?.value.repr == "1")
    }

    /// A segfault in C code and a kill like the OOM killer's fail only their attempt, name the
    /// signal, and are retried like any failure.
    @Test(arguments: [("ctypes.string_at(0)", "SIGSEGV"), ("os.kill(os.getpid(), 9)", "SIGKILL")])
    func aWorkerKilledBySignalFailsItsAttemptAndIsRetried(crash: String, signal: String) throws {
        let folder = try Self.scratch()
        let marker = folder.appendingPathComponent("crashed").path
        try Self.write("""
            import ctypes, os

            def fragile():
                if not os.path.exists(\(String(reflecting: marker))):
                    open(\(String(reflecting: marker)), 'w').close()
                    \(crash)
                return 'survived'

            """, "steps.py", in: folder)
        try Self.write("flowspec: 1\nname: Crash\nsteps:\n  start: {run: steps.py:fragile, retry: 1, outputs: r}\n", "c.yaml", in: folder)
        let store = folder.appendingPathComponent("store").path
        let outcome = try flowspec(["run", "c.yaml", "--store", store], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store)
        let task = try reader.task(run: try reader.run("latest").id, step: "start")
        let attempts = try reader.attempts(of: task.id)
        #expect(attempts.map(\.status) == [.failed, .completed])
        #expect(attempts[0].error?.message.contains(signal) == true, "\(attempts[0].error?.message ?? "")")
    }

    /// Workers are started from pooled threads that come and go; a worker must live on after
    /// the thread that started it ends, for as long as its scheduler does.
    @Test func workersOutliveThePoolThreadsThatStartedThem() throws {
        let folder = try Self.scratch()
        try Self.write("import time\n\ndef quick():\n    return 1\n\ndef slow(x):\n    time.sleep(8)\n    return x\n", "steps.py", in: folder)
        try Self.write("flowspec: 1\nname: Long\nsteps:\n  start: {run: steps.py:quick, outputs: x, next: end}\n  end: {run: steps.py:slow}\n", "l.yaml", in: folder)
        let outcome = try flowspec(["run", "l.yaml", "--store", folder.appendingPathComponent("store").path, "--max-workers", "1"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }
}
