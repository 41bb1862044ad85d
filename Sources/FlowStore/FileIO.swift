import Glibc

/// Plain POSIX file operations, with failures as `StoreError.io` naming the path.
enum FileIO {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// Creates `path` and its missing parents.
    static func makeDirectory(_ path: String) throws {
        if isDirectory(path) { return }
        let parent = parentOf(path)
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(path: path, reason: System.errorText(errno))
        }
    }

    /// The names of the entries of `directory` (without `.` and `..`); none if it cannot be read.
    static func names(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Now, in milliseconds since 1970, as the file system in `directory` tells it: the time a
    /// new file there gets. The clock that sets blob files' times (an NFS server's, say), which
    /// may not be this host's.
    static func fileSystemTime(in directory: String) throws -> Int64 {
        let path = "\(directory)/gc-clock.\(System.processID).\(String(UInt32.random(in: 0 ... .max), radix: 16))"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: path, reason: System.errorText(errno)) }
        defer {
            close(fd)
            unlink(path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(path: path, reason: System.errorText(errno)) }
        return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    /// The space the tree at `path` takes, symbolic links not followed.
    static func treeSpace(_ path: String) -> FileSpace {
        var info = stat()
        guard lstat(path, &info) == 0 else { return FileSpace() }
        let own = FileSpace(info)
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return own }
        return names(in: path).reduce(own) { $0 + treeSpace("\(path)/\($1)") }
    }

    /// Removes the tree at `path`, deepest first, symbolic links not followed; what cannot be
    /// removed stays.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            unlink(path)
            return
        }
        for name in names(in: path) { removeTree("\(path)/\(name)") }
        rmdir(path)
    }

    static func parentOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, reason: System.errorText(errno)) }
        defer { close(fd) }
        return try read(descriptor: fd, path: path)
    }

    /// The rest of the open file `fd` (`path` names it in errors).
    static func read(descriptor fd: Int32, path: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, reason: System.errorText(errno))
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `bytes` to a new file in `directory`, then renames it to `path`: readers see
    /// either no file or the whole file. Not flushed to disk: `syncFileSystem` does that for
    /// many files at once.
    static func writeAtomically(_ bytes: [UInt8], to path: String, through directory: String) throws {
        let name = path.split(separator: "/").last ?? "blob"
        let temporary = "\(directory)/\(name).\(System.processID).\(String(UInt32.random(in: 0 ... .max), radix: 16))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(path: temporary, reason: System.errorText(errno)) }
        var written = 0
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = posixWrite(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw StoreError.io(path: path, reason: System.errorText(failure))
        }
    }

    /// Flushes every file written on the file system `descriptor` is on to disk, in one call:
    /// what a batch of records names is durable before the records commit.
    static func syncFileSystem(_ descriptor: Int32, path: String) throws {
        if linuxSyncfs(descriptor) != 0 { throw StoreError.io(path: path, reason: System.errorText(errno)) }
    }
}

/// glibc declares `syncfs` only under `_GNU_SOURCE`, which the Glibc module does not set.
@_silgen_name("syncfs") private func linuxSyncfs(_ descriptor: Int32) -> Int32

// `read` and `write` are shadowed by `FileIO`'s own names inside the enum.
@inline(__always) private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always) private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// The space files take: the bytes of the regular files, and the disk blocks of all (as `du`).
public struct FileSpace: Hashable, Sendable {
    public var bytes: Int64 = 0
    public var disk: Int64 = 0

    public init() {}

    init(_ info: stat) {
        bytes = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
        disk = Int64(info.st_blocks) * 512
    }

    static func + (a: FileSpace, b: FileSpace) -> FileSpace {
        var sum = a
        sum.bytes += b.bytes
        sum.disk += b.disk
        return sum
    }
}
