import Glibc
import Synchronization

/// `STORE/gc.lock`: the fence between a run that is starting and `flowspec gc`.
///
/// From when a run first looks at the store (an environment found built, the run it resumes)
/// until its record has committed (params, spec, code files, environments), it relies on
/// things no record names yet. It holds the fence shared for that time, and gc holds it
/// exclusive while it works, so the one never happens during the other. Once recorded, a
/// running run is protected by its record and its liveness (`StoreCollector`). A `flock` is
/// released by the kernel when its process dies, so a killed holder never leaves it taken.
public final class StoreFence: Sendable {
    private let descriptor: Mutex<Int32>

    private init(_ descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// The fence held shared, for a run starting in the store at `path`. nil when there is no
    /// store folder yet (nothing in it to protect; `creatingStore` makes one first) or its lock
    /// file cannot be opened: a store this user may not write, where gc cannot run either.
    /// `onWait` is called first when gc holds the fence.
    public static func shared(store path: String, creatingStore: Bool = false, onWait: () -> Void = {}) -> StoreFence? {
        let layout = StoreLayout(root: path)
        if creatingStore { try? FileIO.makeDirectory(layout.root) }
        guard FileIO.isDirectory(layout.root), let descriptor = open(layout.fence) else { return nil }
        guard take(descriptor, LOCK_SH, onWait: onWait) else {
            close(descriptor)
            return nil
        }
        return StoreFence(descriptor)
    }

    /// The fence held exclusive, for gc, once no run is starting; `onWait` is called first
    /// when one is.
    static func exclusive(_ layout: StoreLayout, onWait: () -> Void) throws -> StoreFence {
        guard let descriptor = open(layout.fence) else {
            throw StoreError.io(path: layout.fence, reason: System.errorText(errno))
        }
        guard take(descriptor, LOCK_EX, onWait: onWait) else {
            let reason = System.errorText(errno)
            close(descriptor)
            throw StoreError.io(path: layout.fence, reason: "cannot lock it: \(reason)")
        }
        return StoreFence(descriptor)
    }

    /// Lets gc in (for a run: once its record has committed). Releasing twice does nothing.
    public func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }

    /// The lock file, created when missing; opened read-only where it may not be written.
    private static func open(_ path: String) -> Int32? {
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor >= 0 { return descriptor }
        let readOnly = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        return readOnly >= 0 ? readOnly : nil
    }

    private static func take(_ descriptor: Int32, _ operation: Int32, onWait: () -> Void) -> Bool {
        if flock(descriptor, operation | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK else { return false }
        onWait()
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { return false }
        }
        return true
    }
}
