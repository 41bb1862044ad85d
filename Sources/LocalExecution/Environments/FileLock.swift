import Glibc

/// An exclusive `flock` on a lock file, shared by every process on this machine that opens the
/// same path. The kernel releases it when the process dies, so a killed holder never leaves
/// it taken.
final class FileLock {
    private let descriptor: Int32

    /// Opens (creating) `path` and waits until the lock is ours; `onWait` is called once, first,
    /// when another process holds it.
    init(path: String, onWait: () -> Void = {}) throws(EnvironmentError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        onWait()
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .io("cannot lock \(path): \(reason)")
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
