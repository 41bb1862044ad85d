import Glibc

/// The database file a writer opened, checked before each commit: SQLite goes on writing a file
/// that was deleted or replaced (into a file no one will read) and may not notice one that was
/// truncated, and a run must not end `completed` on records that are lost.
struct DatabaseFileCheck {
    let path: String
    private let device: UInt64
    private let inode: UInt64
    /// The largest size seen: the file never shrinks otherwise (no `VACUUM`, no auto-vacuum).
    private var size: Int64

    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StoreError.io(path: path, reason: System.errorText(errno)) }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
    }

    /// Throws when the file at `path` is no longer the one opened, or is shorter than it was.
    mutating func verify() throws {
        var info = stat()
        guard stat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else {
            throw StoreError.io(path: path, reason: "the database was deleted or replaced while this run wrote to it; what the run recorded since is lost")
        }
        guard Int64(info.st_size) >= size else {
            throw StoreError.io(path: path, reason: "the database was truncated (to \(info.st_size) bytes from \(size)) while this run wrote to it; the store is damaged")
        }
        size = Int64(info.st_size)
    }
}
