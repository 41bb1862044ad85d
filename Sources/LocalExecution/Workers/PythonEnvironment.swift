#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import Glibc

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
        let variables = Spawn.currentEnv
        let environment: PythonEnvironment
        if let remembered = InterpreterCache.lookup(executable, env: variables) {
            environment = remembered
        } else {
            environment = try query(executable)
            InterpreterCache.remember(environment, for: executable, env: variables)
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
        let run: ProgramRun
        do {
            run = try ProgramRun.run([executable, "-c", script], mergeStderr: false)
        } catch {
            throw PythonEnvironmentError.notFound(executable, error.description)
        }
        guard run.succeeded, let environment = try? JSONDecoder().decode(PythonEnvironment.self, from: Data(run.output.utf8)) else {
            throw PythonEnvironmentError.unusable(executable, run.status.description)
        }
        return environment
    }
}

extension PythonEnvironment {
    /// The variables a worker of this interpreter starts with (here, or in a cluster's job),
    /// its libpython first on `libraryPath`.
    public func workerVariables(adding libraryPath: String?) -> [String: String] {
        [
            "LD_LIBRARY_PATH": libdir + (libraryPath.map { ":" + $0 } ?? ""),
            "FLOWSPEC_PYTHON_EXECUTABLE": executable,
            "FLOWSPEC_PYTHON_VERSION": version,
            // A crash in user code is reported by Python's faulthandler, in the task's stderr;
            // Swift's backtracer would add pages of registers about the worker's own binary.
            "SWIFT_BACKTRACE": "enable=no",
        ]
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
