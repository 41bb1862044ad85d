import Glibc

/// A blob file held open under a `flock`: how blob writers and `flowspec gc` keep out of each
/// other's way (`specs/store-format.md`, "Collecting garbage"). A writer that is about to name
/// a blob already stored holds it shared and sets its modification time to now (or replaces a
/// damaged one while holding it); gc deletes a blob only while holding it exclusive, and not
/// when a running run may have claimed it since that run began.
struct LockedBlob {
    let descriptor: Int32
    /// The file as it was once locked.
    let info: stat

    /// The blob at `path`, held shared; nil when there is none (or gc has just removed it).
    /// Waits while gc holds it, which it does for a moment only.
    static func shared(_ path: String) -> LockedBlob? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_SH) != 0 && errno == EINTR {}
        return checked(descriptor)
    }

    /// The blob at `path`, held exclusive, when no writer holds it; nil when one does or it is
    /// gone. Opened for writing where it may be, which locks on NFS need.
    static func exclusive(_ path: String) -> LockedBlob? {
        var descriptor = open(path, O_RDWR | O_CLOEXEC)
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        return checked(descriptor)
    }

    /// The locked file, if it is still the blob: not unlinked (by gc, or by a writer's rename
    /// over it) before the lock. Both happen only under a lock on it, so once locked it stays.
    private static func checked(_ descriptor: Int32) -> LockedBlob? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_nlink > 0 else {
            Glibc.close(descriptor)
            return nil
        }
        return LockedBlob(descriptor: descriptor, info: info)
    }

    var size: Int64 { Int64(info.st_size) }

    /// Modification time, in milliseconds since 1970.
    var modified: Int64 { Self.milliseconds(info.st_mtim) }

    static func milliseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Whether the file holds exactly `bytes`.
    func holds(_ bytes: [UInt8]) -> Bool {
        size == Int64(bytes.count) && (try? FileIO.read(descriptor: descriptor, path: "")) == bytes
    }

    /// Sets the file's modification time to now: a claim that gc sees. False when this user may not.
    func touch() -> Bool {
        futimens(descriptor, nil) == 0
    }

    func close() {
        Glibc.close(descriptor)
    }
}
