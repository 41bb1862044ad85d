import Glibc

/// Removes the blob files no record names, one at a time under `LockedBlob`'s exclusive lock,
/// leaving those a run may have written or claimed and not recorded yet: modified since the
/// earliest running run began, or since runs could start again.
struct BlobSweep {
    let layout: StoreLayout
    let references: StoreReferences
    let dryRun: Bool

    /// How far a clock that set a blob's time (a worker's host, an NFS server) may be behind
    /// the one that set a run's start.
    static let clockMargin: Int64 = 60_000

    /// Returns the hashes of the blobs removed (dry: that would be).
    @discardableResult
    func sweep(into report: inout CollectionReport) -> Set<String> {
        var removed: Set<String> = []
        for folder in FileIO.names(in: layout.blobs) where folder.utf8.count == 2 {
            for name in FileIO.names(in: "\(layout.blobs)/\(folder)")
            where BlobHash.isValid(name) && name.hasPrefix(folder) && !references.blobs.contains(name) {
                if consider("\(layout.blobs)/\(folder)/\(name)", &report) { removed.insert(name) }
            }
        }
        return removed
    }

    private enum Outcome {
        case removed(FileSpace), spared, gone
    }

    /// Whether the blob at `path` went (dry: would go).
    private func consider(_ path: String, _ report: inout CollectionReport) -> Bool {
        switch dryRun ? look(at: path) : remove(path) {
        case .removed(let space):
            report.blobs += 1
            report.blobSpace = report.blobSpace + space
            return true
        case .spared: report.blobsSpared += 1
        case .gone: break
        }
        return false
    }

    /// What `remove` would do, without a lock: a dry run changes nothing.
    private func look(at path: String) -> Outcome {
        var info = stat()
        guard stat(path, &info) == 0 else { return .gone }
        return mayGo(modified: LockedBlob.milliseconds(info.st_mtim)) ? .removed(FileSpace(info)) : .spared
    }

    private func remove(_ path: String) -> Outcome {
        guard let blob = LockedBlob.exclusive(path) else { return FileIO.exists(path) ? .spared : .gone }
        defer { blob.close() }
        guard mayGo(modified: blob.modified) else { return .spared }
        return unlink(path) == 0 ? .removed(FileSpace(blob.info)) : .spared
    }

    /// Whether no run can have claimed a blob last modified at `modified`.
    private func mayGo(modified: Int64) -> Bool {
        guard modified < references.reopened else { return false }
        guard let earliest = references.earliestRunning else { return true }
        return modified < earliest - Self.clockMargin
    }
}
