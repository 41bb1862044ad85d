#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A Python interpreter that steps run in, as the interpreter itself describes it.
public struct PythonEnvironment: Codable, Sendable, Hashable {
    /// `sys.executable`: the real interpreter (a pyenv shim or a venv link resolved by Python).
    public let executable: String
    /// "3.11.7".
    public let version: String
    /// `sysconfig`'s LIBDIR: where its libpython is; first on the worker's LD_LIBRARY_PATH.
    public let libdir: String
    /// `sys.prefix` (a venv's folder for a venv).
    public let prefix: String

    public init(executable: String, version: String, libdir: String, prefix: String) {
        self.executable = executable
        self.version = version
        self.libdir = libdir
        self.prefix = prefix
    }

    private static let cache = Mutex<[String: PythonEnvironment]>([:])

    /// Asks `executable` (default: `python3` on PATH) to describe itself, once per process and,
    /// for an interpreter that is not a script, once until it changes (`InterpreterCache`).
    public static func discover(executable: String = "python3") throws -> PythonEnvironment {
        if let known = cache.withLock({ $0[executable] }) { return known }
        let variables = Spawn.currentEnvironment
        let environment: PythonEnvironment
        if let remembered = InterpreterCache.lookup(executable, environment: variables) {
            environment = remembered
        } else {
            environment = try query(executable)
            InterpreterCache.remember(environment, for: executable, environment: variables)
        }
        cache.withLock { $0[executable] = environment }
        return environment
    }

    private static let script = """
        import json, sys, sysconfig
        print(json.dumps({"executable": sys.executable, "libdir": sysconfig.get_config_var("LIBDIR") or "",
                          "prefix": sys.prefix, "version": "%d.%d.%d" % sys.version_info[:3]}))
        """

    private static func query(_ executable: String) throws -> PythonEnvironment {
        let output = try Spawn.pipe()
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        let pid: pid_t
        do {
            pid = try Spawn.start([executable, "-c", script], environment: Spawn.currentEnvironment,
                                  stdin: devNull, stdout: output.write, stderr: devNull)
        } catch {
            close(output.read)
            close(output.write)
            throw PythonEnvironmentError.notFound(executable, error.description)
        }
        close(output.write)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(output.read, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            bytes += chunk[..<got]
        }
        close(output.read)
        let status = Spawn.wait(pid)
        guard status == .exited(0),
              let environment = try? JSONDecoder().decode(PythonEnvironment.self, from: Data(bytes)) else {
            throw PythonEnvironmentError.unusable(executable, status.description)
        }
        return environment
    }
}

/// An interpreter that could not be asked about itself.
public enum PythonEnvironmentError: Error, CustomStringConvertible, Sendable {
    case notFound(String, String)
    case unusable(String, String)

    public var description: String {
        switch self {
        case let .notFound(executable, reason): "no Python interpreter '\(executable)': \(reason)"
        case let .unusable(executable, status):
            "'\(executable)' did not describe itself as a Python 3 interpreter (it \(status))"
        }
    }
}
