import FlowStore
import Foundation
import Testing

/// `flowspec gc` run as a user runs it: which runs it deletes, what it keeps, what a dry run
/// and a read-only store do.
@Suite struct GcCommandTests {
    @Test func deletesTheRunsItsOptionsSelectAndKeepsBlobsAKeptRunShares() throws {
        let folder = try GcFolder("gc-select")
        let many = try [1, 2, 3].map { try folder.run("many.yaml", ["seed=\($0)"]) }
        let other = try [1, 9].map { try folder.run("other.yaml", ["seed=\($0)"]) }
        try folder.sql("UPDATE runs SET created_at = created_at - 40 * 86400000 WHERE id = '\(many[0].split(separator: "/")[1])'")

        let old = try folder.gc(["--older-than", "30d", "--dry-run"])
        #expect(old["deleted_runs"] as? [String] == [many[0]] && old["dry_run"] as? Bool == true)
        #expect(try folder.gc(["--older-than", "1000d"])["deleted_runs"] as? [String] == [])
        let kept = try folder.gc(["--keep-last", "1", "--flow", "Many"])
        #expect(kept["deleted_runs"] as? [String] == [many[1], many[0]])
        #expect(kept["kept_runs"] as? Int == 3)
        #expect(try folder.runs() == [other[1], other[0], many[2]])
        // Other's seed-1 run stored the same values as Many's: they stay for it.
        let got = try folder.command(["get", "\(other[0])/each/4/y"])
        #expect(got.status == 0 && got.stdout == "'1-4'\n", "\(got.stderr)")
        #expect(try storeProblems(folder.store) == [])
        #expect(try folder.gc(["--dry-run"])["blobs"] as? Int == 0, "nothing left unnamed")
    }

    @Test func theTextReportSaysWhatWasFreed() throws {
        let folder = try GcFolder("gc-text")
        let runs = try [1, 2].map { try folder.run("many.yaml", ["seed=\($0)"]) }
        let dry = try folder.command(["gc", "--keep-last", "1", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.hasPrefix("would delete 1 run (Many 1), keeping 1 run:\n  \(runs[0])  completed  "), "\(dry.stdout)")
        #expect(dry.stdout.contains("\nwould free 7 blobs ("), "the list, its 5 items and the seed (not the total, 5, = n): \(dry.stdout)")
        let real = try folder.command(["gc", "--keep-last", "1"])
        #expect(real.stdout.hasPrefix("deleted 1 run (Many 1), keeping 1 run\nfreed 7 blobs ("), "\(real.stdout)")
        #expect(real.stdout.hasSuffix(" KiB on disk)\n"), "7 files of a block or more each: \(real.stdout)")
    }

    @Test func aDryRunChangesNothing() throws {
        let folder = try GcFolder("gc-dry")
        for seed in 1...3 { try folder.run("many.yaml", ["seed=\(seed)"]) }
        let before = try files(in: folder.store)
        let report = try folder.gc(["--keep-last", "0", "--dry-run"])
        // 7 of each run's own, the 5 all share (n and each total), the spec and steps.py.
        #expect((report["deleted_runs"] as? [String])?.count == 3 && report["blobs"] as? Int == 3 * 7 + 3)
        let after = try files(in: folder.store)
        #expect(after == before, "\(Set(after).symmetricDifference(before).sorted())")
        #expect(try folder.runs().count == 3)
        let real = try folder.gc(["--keep-last", "0"])
        #expect(real["blobs"] as? Int == report["blobs"] as? Int && real["blob_bytes"] as? Int == report["blob_bytes"] as? Int)
    }

    @Test func deletesTheCachedPreviewsOfTheBlobsItDeletes() throws {
        let folder = try GcFolder("gc-previews")
        let runs = try [1, 2].map { try folder.run("many.yaml", ["seed=\($0)"]) }
        for run in runs {
            let made = try folder.command(["report", run, "-o", folder.folder.appendingPathComponent("r.html").path])
            try #require(made.status == 0, "\(made.stderr)")
        }
        // A preview left behind by a blob gone earlier: no record names it, no file holds it.
        let stray = String(repeating: "ab", count: 32)
        let previews = folder.folder.appendingPathComponent("store/previews")
        try FileManager.default.createDirectory(at: previews.appendingPathComponent("ab"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: previews.appendingPathComponent("ab/\(stray).json"))
        let before = try cachedPreviews(in: previews)
        try #require(before.count >= 4, "xs of each run, the shared t, the stray one: \(before)")

        let dry = try folder.gc(["--keep-last", "1", "--dry-run"])
        #expect(try cachedPreviews(in: previews) == before, "a dry run changes nothing")
        let real = try folder.gc(["--keep-last", "1"])
        let after = try cachedPreviews(in: previews)
        let gone = before.subtracting(after)
        #expect(gone.contains(stray) && gone.count >= 2, "the stray one and the deleted run's own values: \(gone)")
        for blob in gone {
            let path = folder.folder.appendingPathComponent("store/blobs/\(blob.prefix(2))/\(blob)").path
            #expect(!FileManager.default.fileExists(atPath: path), "a deleted preview's blob is gone: \(blob)")
        }
        #expect(real["previews"] as? Int == gone.count && dry["previews"] as? Int == gone.count, "\(real) \(dry)")
        #expect((real["preview_bytes"] as? Int ?? 0) > 0)
        let reader = try StoreReader(path: folder.store)
        for blob in after { #expect(try reader.verifyBlob(blob), "a kept preview's blob is kept: \(blob)") }
        #expect(try folder.gc([])["previews"] as? Int == 0, "nothing left to delete")
    }

    /// The blobs of the previews cached in `folder` (`HH/HEX.json`).
    private func cachedPreviews(in folder: URL) throws -> Set<String> {
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        return Set(names.filter { $0.hasSuffix(".json") }.map { String($0.split(separator: "/").last!.dropLast(5)) })
    }

    /// Every file of the store, with its size and modification time; not SQLite's `-wal` and
    /// `-shm`, which any reader may create (empty) or change.
    private func files(in store: String) throws -> [String] {
        let root = URL(fileURLWithPath: store)
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey]))
        return try enumerator.compactMap { $0 as? URL }.filter { !$0.lastPathComponent.hasSuffix("-shm") && !$0.lastPathComponent.hasSuffix("-wal") }.map { url in
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            return "\(url.path) \(values.fileSize ?? -1) \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)"
        }.sorted()
    }

    @Test func wrongOptionsAndUnknownFlowsAreErrors() throws {
        let folder = try GcFolder("gc-usage")
        let missing = try folder.command(["gc", "--keep-last", "1"])
        #expect(missing.status == 1 && missing.stderr.contains("no flowspec store at"), "\(missing.stderr)")
        try folder.run("many.yaml")
        let duration = try folder.command(["gc", "--older-than", "30x"])
        #expect(duration.status == 2 && duration.stderr.contains("--older-than '30x' is not a duration"), "\(duration.stderr)")
        let negative = try folder.command(["gc", "--keep-last", "-1"])
        #expect(negative.status == 2, "\(negative.stderr)")
        let unknown = try folder.command(["gc", "--keep-last", "0", "--flow", "Mnay"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no flow 'Mnay'") && unknown.stderr.contains("did you mean 'Many'?"),
                "\(unknown.stderr)")
        #expect(try folder.runs().count == 1)
    }

    @Test func anEnvironmentNoKeptRunUsesIsRemovedAndBuiltAgainWhenNeeded() throws {
        let folder = try GcFolder("gc-env")
        try "flowspec: 1\nname: Env\npython: {requirements: []}\nsteps:\n  start: {run: steps.py:each, with: {item: a}, outputs: y}\n"
            .write(to: folder.folder.appendingPathComponent("env.yaml"), atomically: true, encoding: .utf8)
        try folder.run("env.yaml")
        let envs = URL(fileURLWithPath: folder.store).appendingPathComponent("envs")
        let built = try FileManager.default.contentsOfDirectory(atPath: envs.path).filter { !$0.hasSuffix(".lock") }
        try #require(built.count == 1)
        #expect(try folder.gc(["--keep-last", "1"])["environments"] as? [String] == [], "its run is kept")
        let report = try folder.gc(["--keep-last", "0"])
        #expect(report["environments"] as? [String] == built)
        #expect((report["environment_bytes"] as? Int ?? 0) > 10_000)
        #expect(!FileManager.default.fileExists(atPath: envs.appendingPathComponent(built[0]).path))
        try folder.run("env.yaml")
        #expect(FileManager.default.fileExists(atPath: envs.appendingPathComponent(built[0]).path), "built again")
    }
}
