import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// What interpreters said of themselves, kept across runs in `CacheFolder/interpreters`: asking
/// one is a process start on every run's critical path (tens of milliseconds; more through a
/// shim). An entry is keyed by the command's path, the identity of the file it is (device, inode,
/// size, modification time), any `pyvenv.cfg` that makes it a virtual environment, and
/// `PYTHONHOME`. A script (a pyenv or asdf shim, which picks an interpreter anew each time) is
/// never cached.
enum InterpreterCache {
    static func lookup(_ command: String, env: [String: String]) -> PythonEnvironment? {
        guard let file = entry(command, env), let data = FileManager.default.contents(atPath: file) else {
            return nil
        }
        return try? JSONDecoder().decode(PythonEnvironment.self, from: data)
    }

    /// Best effort: a cache that cannot be written only costs the next run the question again.
    static func remember(_ python: PythonEnvironment, for command: String, env: [String: String]) {
        guard let file = entry(command, env), let data = try? JSONEncoder().encode(python) else { return }
        let folder = String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)])
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = "\(file).\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, file) != 0 { unlink(temporary) }
    }

    private static func entry(_ command: String, _ env: [String: String]) -> String? {
        guard let folder = CacheFolder.path(env), let path = resolve(command, env),
              !isScript(path), let binary = identity(path) else { return nil }
        let bin = parent(path)
        let key = [path, binary, identity(bin + "/pyvenv.cfg") ?? "-", identity(parent(bin) + "/pyvenv.cfg") ?? "-",
                   env["PYTHONHOME"] ?? "-"].joined(separator: "\n")
        return "\(folder)/interpreters/\(SHA256.hex(SHA256.hash(Array(key.utf8)).prefix(16))).json"
    }

    /// The file `command` names: itself when it has a slash, else the first executable on PATH.
    private static func resolve(_ command: String, _ env: [String: String]) -> String? {
        if command.contains("/") { return command }
        for folder in (env["PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private static func isScript(_ path: String) -> Bool {
        let handle = open(path, O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else { return true }
        defer { close(handle) }
        var start: [UInt8] = [0, 0]
        return read(handle, &start, 2) != 2 || start == Array("#!".utf8)
    }

    private static func identity(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    private static func parent(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    }
}

/// Where flowspec keeps caches that outlive a store: `$FLOWSPEC_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/flowspec`, else `~/.cache/flowspec`.
public enum CacheFolder {
    public static func path(_ env: [String: String]) -> String? {
        if let explicit = env["FLOWSPEC_CACHE_DIR"], !explicit.isEmpty { return UserPath.absolute(explicit) }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/flowspec" }
        return env["HOME"].map { $0 + "/.cache/flowspec" }
    }
}
