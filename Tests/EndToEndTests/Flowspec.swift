import Foundation
import Testing

/// The repository's root folder, found from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of the built `flowspec` binary did.
struct Outcome {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the `flowspec` binary that `swift build` made, in `directory` (the repository root by default).
func flowspec(_ arguments: [String], in directory: URL = repositoryRoot, env: [String: String] = [:]) throws -> Outcome {
    try runProgram([binary.path] + arguments, in: directory, env: env)
}

/// Runs `command` (an executable's path, then its arguments) to its end in `directory`.
func runProgram(_ command: [String], in directory: URL = repositoryRoot, env: [String: String] = [:]) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
    // Files, not pipes: a large output cannot fill a pipe and block the child.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-e2e-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus,
                   stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// `.build/<configuration>/flowspec`, beside the test bundle.
let flowspecBinary: URL = binary

private let binary: URL = {
    var folder = Bundle.main.bundleURL
    for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("flowspec").path) {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("flowspec")
}()

/// Files in a folder of the repository whose names end in one of `extensions`, sorted.
func repositoryFiles(in folder: String, extensions: [String]) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(folder).path)) ?? []
    return names.filter { name in extensions.contains { name.hasSuffix(".\($0)") } }.sorted().map { "\(folder)/\($0)" }
}

/// A new, empty folder for one test's files and store.
func scratchFolder(_ label: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-\(label)-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
