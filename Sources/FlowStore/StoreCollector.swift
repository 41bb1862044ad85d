import Glibc

/// `flowspec gc`: deletes the runs a `CollectionRequest` selects, then every blob and built
/// environment no record names any more, and the cached previews of the blobs gone.
///
/// Killed at any instant, it leaves a consistent store: a run's rows go in one transaction,
/// before any file; a file is removed only once no committed row names it. A blob file with no
/// row is harmless garbage, which the next gc removes; a row naming a missing blob never exists.
///
/// It never removes what a running run uses: a run whose scheduler is alive (`RunLiveness`)
/// is kept, with the runs it reuses and everything they name; runs that are starting, which
/// rely on things their record does not name yet, wait (`StoreFence`) until the runs are
/// deleted, the references read and the environments removed; then blobs go, but not one
/// modified since the earliest running run began or since runs could start again (writers
/// claim an existing blob by setting its time, under `LockedBlob`'s lock).
public enum StoreCollector {
    /// Collects the store at `path`. `onWait` is called once if gc must wait for a starting run.
    public static func collect(store path: String, _ request: CollectionRequest,
                               onWait: () -> Void = {}) throws -> CollectionReport {
        let layout = StoreLayout(root: path)
        guard FileIO.exists(layout.database) else { throw StoreError.noStore(path: layout.root) }
        return try request.dryRun ? preview(layout, request) : carryOut(layout, request, onWait: onWait)
    }

    private static func carryOut(_ layout: StoreLayout, _ request: CollectionRequest, onWait: () -> Void) throws -> CollectionReport {
        try StoreOpening.requireWritable(layout)
        let fence = try StoreFence.exclusive(layout, onWait: onWait)
        defer { fence.release() }
        let database = try StoreOpening.openForWriting(layout, busyTimeout: 10_000)
        var report = CollectionReport(dryRun: false)
        var references = try StoreError.wrapping {
            try database.execute("PRAGMA foreign_keys = OFF")
            let selection = try RunSelection.choose(request, in: database)
            let (deleted, inUse) = try RunDeletion.delete(selection.doomed, in: database)
            report.deletedRuns = deleted
            report.keptRunning = selection.running
            report.keptReused = selection.reused + inUse
            report.keptRuns = selection.total - deleted.count
            return try StoreReferences.read(from: database)
        }
        EnvironmentSweep(layout: layout, references: references, dryRun: false).sweep(into: &report)
        // Runs may start again: what they write or claim from now on has a time from now on.
        references.reopened = try FileIO.fileSystemTime(in: layout.temporary)
        fence.release()
        let removed = BlobSweep(layout: layout, references: references, dryRun: false).sweep(into: &report)
        PreviewSweep(layout: layout, references: references, dryRun: false).sweep(removed: removed, into: &report)
        return report
    }

    /// What `carryOut` would do, read from one snapshot, changing nothing.
    private static func preview(_ layout: StoreLayout, _ request: CollectionRequest) throws -> CollectionReport {
        let database = try StoreOpening.openForReading(layout, busyTimeout: 10_000)
        return try StoreError.wrapping {
            let selection = try RunSelection.choose(request, in: database)
            var report = CollectionReport(dryRun: true)
            report.deletedRuns = selection.doomed
            report.keptRunning = selection.running
            report.keptReused = selection.reused
            report.keptRuns = selection.total - selection.doomed.count
            var references = try StoreReferences.read(from: database, excluding: Set(selection.doomed.map(\.id)))
            references.reopened = System.nowMilliseconds()
            EnvironmentSweep(layout: layout, references: references, dryRun: true).sweep(into: &report)
            let removed = BlobSweep(layout: layout, references: references, dryRun: true).sweep(into: &report)
            PreviewSweep(layout: layout, references: references, dryRun: true).sweep(removed: removed, into: &report)
            return report
        }
    }
}
