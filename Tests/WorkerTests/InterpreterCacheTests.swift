@testable import LocalExecution
import Foundation
import Testing

/// What an interpreter says of itself is remembered until the interpreter, or the virtual
/// environment around it, changes; a shim script is always asked again.
@Suite struct InterpreterCacheTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-interpreters-\(UUID())")
    private var env: [String: String] { ["FLOWSPEC_CACHE_DIR": folder.appendingPathComponent("cache").path, "PATH": ""] }

    private func venvLike() throws -> (python: String, cfg: URL) {
        let bin = folder.appendingPathComponent("env/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let python = bin.appendingPathComponent("python3").path
        try FileManager.default.createSymbolicLink(atPath: python, withDestinationPath: try PythonEnvironment.discover().executable)
        return (python, folder.appendingPathComponent("env/pyvenv.cfg"))
    }

    @Test func anInterpreterIsRememberedUntilItsVenvChanges() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (python, cfg) = try venvLike()
        let described = PythonEnvironment(executable: python, version: "3.11.7", libdir: "/lib", prefix: "/prefix")
        #expect(InterpreterCache.lookup(python, env: env) == nil)
        InterpreterCache.remember(described, for: python, env: env)
        #expect(InterpreterCache.lookup(python, env: env) == described)
        try Data("home = /usr\n".utf8).write(to: cfg)
        #expect(InterpreterCache.lookup(python, env: env) == nil)
        var other = env
        other["PYTHONHOME"] = "/elsewhere"
        InterpreterCache.remember(described, for: python, env: env)
        #expect(InterpreterCache.lookup(python, env: other) == nil)
    }

    @Test func aCommandIsFoundOnPath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (python, _) = try venvLike()
        var onPath = env
        onPath["PATH"] = "/no/such/folder:" + URL(fileURLWithPath: python).deletingLastPathComponent().path
        let described = PythonEnvironment(executable: python, version: "3.11.7", libdir: "/lib", prefix: "/prefix")
        InterpreterCache.remember(described, for: "python3", env: onPath)
        #expect(InterpreterCache.lookup("python3", env: onPath) == described)
        #expect(InterpreterCache.lookup(python, env: onPath) == described)
    }

    @Test func aShimScriptIsNeverCached() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shim = folder.appendingPathComponent("python3").path
        try Data("#!/bin/sh\nexec python3 \"$@\"\n".utf8).write(to: URL(fileURLWithPath: shim))
        chmod(shim, 0o755)
        let described = PythonEnvironment(executable: "/real/python3", version: "3.11.7", libdir: "/lib", prefix: "/prefix")
        InterpreterCache.remember(described, for: shim, env: env)
        #expect(InterpreterCache.lookup(shim, env: env) == nil)
    }
}
