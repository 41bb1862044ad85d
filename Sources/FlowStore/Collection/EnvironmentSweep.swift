import Glibc

/// Removes the environments built for `python.requirements` (`envs/HASH/`) that no record
/// names. One being built (its builder holds `envs/HASH.lock`) is left; the rest go under that
/// lock, marker first, so a removal cut short leaves a folder every reader and builder takes
/// for unbuilt, which the next build or gc removes. The lock files stay (builders may hold one open).
struct EnvironmentSweep {
    let layout: StoreLayout
    let references: StoreReferences
    let dryRun: Bool

    /// The file a built environment's builder writes last (`specs/store-format.md`).
    static let marker = ".flowspec-environment.json"

    func sweep(into report: inout CollectionReport) {
        for name in FileIO.names(in: layout.environments).sorted() where Self.isHash(name) && !references.environments.contains(name) {
            let folder = "\(layout.environments)/\(name)"
            guard FileIO.isDirectory(folder), let lock = lockBuilds(of: name) else { continue }
            defer { if lock >= 0 { close(lock) } }
            let space = FileIO.treeSpace(folder)
            if !dryRun {
                guard unlink("\(folder)/\(Self.marker)") == 0 || errno == ENOENT else { continue }
                FileIO.removeTree(folder)
            }
            report.environments.append(name)
            report.environmentSpace = report.environmentSpace + space
        }
    }

    /// `envs/HASH.lock` taken, so no build of it starts until the removal is done; nil while a
    /// build holds it. A dry run only looks: -1 when no build holds it.
    private func lockBuilds(of hash: String) -> Int32? {
        let path = "\(layout.environments)/\(hash).lock"
        let descriptor = dryRun ? open(path, O_RDONLY | O_CLOEXEC) : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return dryRun ? -1 : nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        if dryRun {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// An environment folder's name: 16 lowercase hex digits.
    static func isHash(_ name: String) -> Bool {
        name.utf8.count == 16 && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
