import FlowStore
import Foundation
import Testing

/// `flowspec gc` killed with SIGKILL at random moments leaves a store that every command reads,
/// whose kept runs read and resume as before, and that a later gc finishes collecting.
@Suite(.serialized) struct GcKillTests {
    static let iterations = 30
    static let keep = 3

    @Test func aGcKilledAtAnyMomentLeavesAConsistentStore() throws {
        let folder = try GcFolder("gc-kill", in: Self.memoryFolder)
        for seed in 1...30 { try folder.run("many.yaml", ["seed=\(seed)", "n=60"]) }
        FileManager.default.createFile(atPath: folder.failFlag.path, contents: nil)
        let failed = try folder.run("many.yaml", ["seed=99", "n=60"], expecting: 1)
        try FileManager.default.removeItem(at: folder.failFlag)
        let kept = Array(try folder.runs().prefix(Self.keep))
        try #require(kept.first == failed)
        let pristine = URL(fileURLWithPath: folder.store + "-pristine")
        try FileManager.default.moveItem(at: URL(fileURLWithPath: folder.store), to: pristine)

        let whole = try timedGc(folder, from: pristine)
        var generator = SystemRandomNumberGenerator()
        var stages: [Stage: Int] = [:]
        for iteration in 0..<Self.iterations {
            try restore(folder, from: pristine)
            // Every other one evenly from 0 to past the end, the rest evenly on a log scale from
            // 1 ms: the rows go in the first few ms of a gc, the files take most of the rest.
            let delay = iteration.isMultiple(of: 2) ? Double.random(in: 0...(whole * 1.2), using: &generator)
                : 0.001 * pow(whole * 1200, Double.random(in: 0...1, using: &generator))
            let status = try killedGc(folder, after: delay)
            let note = "iteration \(iteration), killed after \(Int(delay * 1000)) ms of \(Int(whole * 1000)) (status \(status))"
            stages[try stage(folder, runs: 31), default: 0] += 1
            try check(folder, kept: kept, failed: failed, note: note)
        }
        print("gc killed \(Self.iterations) times, at these stages: \(stages)")
        #expect(stages[.beforeCommit, default: 0] > 0 && stages[.sweeping, default: 0] > 0, "\(stages)")
    }

    private enum Stage: String, CustomStringConvertible {
        case beforeCommit, sweeping, done
        var description: String { rawValue }
    }

    /// Where the killed gc had got to: no run deleted yet, runs deleted and blobs left, or all done.
    private func stage(_ folder: GcFolder, runs: Int) throws -> Stage {
        if try folder.runs().count == runs { return .beforeCommit }
        return try folder.gc(["--dry-run"])["blobs"] as? Int == 0 ? .done : .sweeping
    }

    /// A tmpfs where there is one: the test copies and deletes stores of thousands of files
    /// sixty times, which a disk that trims each deleted file (ext4 with `discard`) makes slow.
    static var memoryFolder: URL? {
        FileManager.default.isWritableFile(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : nil
    }

    /// How long a whole gc takes, in seconds, on a copy of `pristine`.
    private func timedGc(_ folder: GcFolder, from pristine: URL) throws -> Double {
        try restore(folder, from: pristine)
        let started = Date()
        _ = try folder.gc(["--keep-last", "\(Self.keep)"])
        return Date().timeIntervalSince(started)
    }

    private func restore(_ folder: GcFolder, from pristine: URL) throws {
        try? FileManager.default.removeItem(atPath: folder.store)
        try FileManager.default.copyItem(at: pristine, to: URL(fileURLWithPath: folder.store))
    }

    /// Starts `gc --keep-last KEEP` and kills it with SIGKILL `delay` seconds later (unless it
    /// ended first); returns how it ended.
    private func killedGc(_ folder: GcFolder, after delay: Double) throws -> Int32 {
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["gc", "--keep-last", "\(Self.keep)", "--store", folder.store]
        process.currentDirectoryURL = folder.folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(delay * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Everything reads; the kept runs' values come back and the failed one resumes; a later gc
    /// leaves exactly the kept runs and nothing unnamed.
    private func check(_ folder: GcFolder, kept: [String], failed: String, note: String) throws {
        #expect(try storeProblems(folder.store) == [], "\(note)")
        let runs = try folder.runs()
        #expect(Array(runs.prefix(Self.keep)) == kept, "\(note)")
        for run in kept + [runs[runs.count / 2]] {
            let inspect = try folder.command(["inspect", run])
            #expect(inspect.status == 0, "\(note): inspect \(run): \(inspect.stderr)")
            let got = try folder.command(["get", "\(run)/each/7/y"])
            #expect(got.status == 0 && got.stdout.hasSuffix("-7'\n"), "\(note): get \(run): \(got.stderr)")
        }
        let finished = try folder.gc(["--keep-last", "\(Self.keep)"])
        #expect(try folder.runs() == kept, "\(note): \(finished)")
        let nothing = try folder.gc(["--dry-run"])
        #expect(nothing["blobs"] as? Int == 0 && nothing["environments"] as? [String] == [], "\(note): \(nothing)")
        let resumed = try folder.command(["resume", "many.yaml", failed, "-q"])
        #expect(resumed.status == 0, "\(note): resume: \(resumed.stderr)")
    }
}
