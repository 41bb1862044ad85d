import Glibc
import Testing
import FlowBasics
@testable import FlowStore

/// What `gc` never deletes: what a kept or running run names, reuses or may be about to name;
/// and what a dry run changes: nothing.
@Suite struct CollectorSafetyTests {
    @Test func aBlobSharedWithAKeptRunSurvivesItsOtherRun() throws {
        let fixture = try CollectorFixture()
        let old = try fixture.run("A", outputs: ["shared", "only old"], params: ["p": "same param"])
        let kept = try fixture.run("B", outputs: ["shared", "only kept"], params: ["p": "same param"])
        let report = try fixture.collect(CollectionRequest(keepLast: 0, flow: "A"))
        #expect(report.deletedRuns.map(\.id) == [old])
        #expect(fixture.holds("shared") && fixture.holds("same param") && fixture.holds("only kept"))
        #expect(!fixture.holds("only old") && report.blobs == 1)
        let reader = try StoreReader(path: fixture.store.path)
        for task in try reader.tasks(of: kept) {
            for artifact in try reader.artifacts(of: task.id) { #expect(try reader.verifyBlob(artifact.value.blob)) }
        }
    }

    /// Artifacts, params, the spec, code files and spilled output all name blobs.
    @Test func everyKindOfReferenceKeepsItsBlobUntilItsRunGoes() throws {
        let fixture = try CollectorFixture()
        let writer = fixture.writer
        let spec = try writer.writeRawBlob(Array("name: Refs\n".utf8))
        let run = try writer.beginRun(NewRun(flow: "Refs", params: ["p": try fixture.value("param")], specBlob: spec))
        try writer.recordCodeFile(run: run, path: "steps.py", bytes: Array("code".utf8))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start", isEnd: true)
        let attempt = try writer.startTask(run: run, step: "start")
        let big = String(repeating: "o", count: StoreWriter.largestInlineOutput + 1)
        try writer.finishAttempt(attempt, .completed(["out": try fixture.value("artifact")], stdout: big, stderr: big + "e"))
        try writer.finishRun(run, status: .completed)
        let names = ["name: Refs\n", "param", "code", "artifact", big, big + "e"]

        #expect(try fixture.collect().blobs == 0)
        #expect(names.allSatisfy(fixture.holds))
        let report = try fixture.collect(CollectionRequest(keepLast: 0))
        #expect(report.blobs == names.count)
        #expect(!names.contains(where: fixture.holds))
    }

    @Test func aDryRunChangesNothingAndForetellsTheRealOne() throws {
        let fixture = try CollectorFixture()
        for index in 0..<3 { try fixture.run("A", outputs: ["v\(index)", "shared"]) }
        _ = try fixture.value("garbage")
        let before = try snapshot(fixture)
        let dry = try fixture.collect(CollectionRequest(keepLast: 1, dryRun: true))
        #expect(try snapshot(fixture) == before)
        #expect(dry.dryRun && dry.deletedRuns.count == 2 && dry.blobs == 3)
        let real = try fixture.collect(CollectionRequest(keepLast: 1))
        #expect(real.deletedRuns.map(\.id) == dry.deletedRuns.map(\.id))
        #expect((real.blobs, real.keptRuns) == (dry.blobs, dry.keptRuns) && real.blobSpace == dry.blobSpace)
    }

    /// Every file in the store (but SQLite's own), with its size and time, and every row.
    private func snapshot(_ fixture: CollectorFixture) throws -> [String] {
        var lines: [String] = []
        func walk(_ path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                for name in FileIO.names(in: path).sorted() where !name.hasPrefix("flowspec.db") { walk("\(path)/\(name)") }
            } else {
                lines.append("\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
            }
        }
        walk(fixture.store.path)
        for table in ["runs", "tasks", "attempts", "artifacts", "steps", "flows", "code_files"] {
            lines += try fixture.writer.database.query("SELECT * FROM \(table)") { row in
                (0..<8).map { row.string(Int32($0)) }.joined(separator: "|")
            }
        }
        return lines
    }

    @Test func aRunningRunIsKeptWithEverythingItNames() throws {
        let fixture = try CollectorFixture()
        let running = try fixture.run("A", outputs: ["running output"], status: .running)
        let report = try fixture.collect(CollectionRequest(keepLast: 0))
        #expect(report.deletedRuns.isEmpty)
        #expect(report.keptRunning.map(\.id) == [running])
        #expect(fixture.holds("running output"))
    }

    @Test func aRunningSchedulerGoneIsNoLongerRunning() throws {
        let fixture = try CollectorFixture()
        let gone = try fixture.run("A", outputs: ["gone"], status: .running)
        try fixture.writer.database.run("UPDATE runs SET scheduler_pid = ? WHERE id = ?", [Int64(deadPID()), gone.rawValue])
        let report = try fixture.collect(CollectionRequest(keepLast: 0))
        #expect(report.deletedRuns.map(\.id) == [gone] && !fixture.holds("gone"))
    }

    /// While a run runs, a blob no row names yet is one it may be about to record: left when
    /// modified since the run began, whether written now or claimed (an existing file touched).
    @Test func aBlobARunningRunMayBeAboutToRecordSurvives() throws {
        let fixture = try CollectorFixture()
        _ = try fixture.value("old garbage")
        _ = try fixture.value("old, claimed again")
        try fixture.backdate("old garbage", seconds: 3600)
        try fixture.backdate("old, claimed again", seconds: 3600)
        let running = try fixture.run("A", outputs: [], status: .running)
        let written = try fixture.value("written, not recorded yet")
        let claimed = try fixture.value("old, claimed again")

        let report = try fixture.collect()
        #expect(!fixture.holds("old garbage"))
        #expect(fixture.holds("written, not recorded yet") && fixture.holds("old, claimed again"))
        #expect(report.blobs == 1 && report.blobsSpared == 2)

        let attempt = try fixture.writer.startTask(run: running, step: "each", index: [0])
        try fixture.writer.finishAttempt(attempt, .completed(["a": written, "b": claimed]))
        let reader = try StoreReader(path: fixture.store.path)
        #expect(try reader.artifacts(of: attempt.task).allSatisfy { try reader.verifyBlob($0.value.blob) })
    }

    /// Once gc lets runs start again, a starting run may write or claim a blob gc has not
    /// swept yet: one modified since then is left, on the file system's own clock.
    @Test func aBlobModifiedSinceRunsCouldStartAgainSurvives() throws {
        let fixture = try CollectorFixture()
        _ = try fixture.value("before")
        try fixture.backdate("before", seconds: 10)
        let layout = fixture.writer.layout
        var references = StoreReferences()
        references.reopened = try FileIO.fileSystemTime(in: layout.temporary) - 5000
        _ = try fixture.value("since")
        var report = CollectionReport(dryRun: false)
        BlobSweep(layout: layout, references: references, dryRun: false).sweep(into: &report)
        #expect(!fixture.holds("before") && fixture.holds("since"))
        #expect(report.blobs == 1 && report.blobsSpared == 1)
    }

    /// A run that resumed another, or took its tasks, reads its values and code: the other is kept.
    @Test func theRunsAKeptRunReusesAreKept() throws {
        let fixture = try CollectorFixture()
        let origin = try fixture.run("A", outputs: ["from origin"], status: .failed)
        let resumed = try fixture.run("A", outputs: [], origin: origin)
        let task = try StoreReader(path: fixture.store.path).tasks(of: origin)[0].id
        try fixture.writer.reuseTask(run: resumed, step: "each", index: [0], origin: task)
        let cacheOrigin = try fixture.run("C", outputs: ["cached"])
        let cached = try fixture.run("D", outputs: [])
        try fixture.writer.reuseTask(run: cached, step: "each", index: [0],
                                     origin: try StoreReader(path: fixture.store.path).tasks(of: cacheOrigin)[0].id)

        let report = try fixture.collect(CollectionRequest(keepLast: 1))
        #expect(Set(report.keptReused.map(\.id)) == [origin])
        let keptOnlyByOther = try fixture.collect(CollectionRequest(keepLast: 0, flow: "C"))
        #expect(keptOnlyByOther.deletedRuns.isEmpty && keptOnlyByOther.keptReused.map(\.id) == [cacheOrigin])
        #expect(fixture.holds("from origin") && fixture.holds("cached"))
        let all = try fixture.collect(CollectionRequest(keepLast: 0))
        #expect(all.deletedRuns.map(\.id) == [cached, cacheOrigin, resumed, origin], "a reusing run before its origin")
        #expect(try fixture.runIDs().isEmpty)
    }

    /// A run that starts to reuse a chosen run's task before it is deleted (the cache) keeps it.
    @Test func aRunReusedAfterTheChoiceIsKeptByTheDeletion() throws {
        let fixture = try CollectorFixture()
        let origin = try fixture.run("A", outputs: ["reused late"])
        let reusing = try fixture.run("B", outputs: [], status: .running)
        try fixture.writer.reuseTask(run: reusing, step: "each", index: [0],
                                     origin: try StoreReader(path: fixture.store.path).tasks(of: origin)[0].id)
        let origins = try StoreReader(path: fixture.store.path).runs(flow: "A")
        try fixture.writer.database.execute("PRAGMA foreign_keys = OFF")
        let (deleted, kept) = try RunDeletion.delete(origins, in: fixture.writer.database)
        #expect(deleted.isEmpty && kept.map(\.id) == [origin])
        #expect(try fixture.writer.database.query("PRAGMA foreign_key_check") { $0.string(0) }.isEmpty)
    }

    private func deadPID() -> Int32 {
        var pid: Int32 = 4_194_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
        return pid
    }
}
