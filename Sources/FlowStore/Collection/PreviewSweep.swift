import Glibc

/// Removes the cached previews (`previews/HH/HEX.json`) of the blobs gc removed, and of any
/// blob that is gone and that no record names (a preview left by an older gc, or made while
/// its blob went). A preview is only a cache of what its blob shows: with the blob gone it can
/// never be asked for again.
struct PreviewSweep {
    let layout: StoreLayout
    let references: StoreReferences
    let dryRun: Bool

    /// `removed` are the blobs this gc removed (or, dry, would remove).
    func sweep(removed: Set<String>, into report: inout CollectionReport) {
        let folder = PreviewCache(layout: layout).folder
        for prefix in FileIO.names(in: folder) where prefix.utf8.count == 2 {
            for name in FileIO.names(in: "\(folder)/\(prefix)") where name.hasSuffix(".json") {
                let blob = String(name.dropLast(5))
                guard BlobHash.isValid(blob), blob.hasPrefix(prefix), !references.blobs.contains(blob),
                      removed.contains(blob) || !FileIO.exists("\(layout.blobs)/\(prefix)/\(blob)") else { continue }
                remove("\(folder)/\(prefix)/\(name)", &report)
            }
        }
    }

    private func remove(_ path: String, _ report: inout CollectionReport) {
        var info = stat()
        guard stat(path, &info) == 0, dryRun || unlink(path) == 0 else { return }
        report.previews += 1
        report.previewSpace = report.previewSpace + FileSpace(info)
    }
}
