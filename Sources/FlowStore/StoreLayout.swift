/// Where things are in a store folder (format version 1):
/// `flowspec.db` (+ `-wal`, `-shm`), `blobs/HH/HEX`, `tmp/`, `envs/HASH/`, `gc.lock`.
public struct StoreLayout: Hashable, Sendable {
    public let root: String

    public init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    public var database: String { "\(root)/flowspec.db" }
    public var blobs: String { "\(root)/blobs" }
    public var temporary: String { "\(root)/tmp" }
    /// The environments built for `python.requirements`: `envs/HASH/`, each with `HASH.lock`.
    public var environments: String { "\(root)/envs" }
    /// What a starting run holds shared and `flowspec gc` exclusive (`StoreFence`).
    public var fence: String { "\(root)/gc.lock" }
    /// The files of a run's cluster jobs: requests they read, results they write, what they print.
    public func jobs(of run: String) -> String { "\(root)/jobs/\(run)" }

    /// `blobs/HH/HEX`, HH the first two hex digits of the hash.
    public func blobPath(_ hash: String) throws -> String {
        guard BlobHash.isValid(hash) else { throw StoreError.invalidHash(hash) }
        return "\(blobs)/\(hash.prefix(2))/\(hash)"
    }
}
