import Foundation
import Testing

/// `flowspec ui`'s start and stop through the built binary (its pages are driven in Chromium by
/// Tests/BrowserTests).
@Suite struct UICommandTests {
    @Test func aMissingStoreIsAnError() throws {
        let folder = try scratchFolder("ui-missing")
        let outcome = try flowspec(["ui", "--store", folder.appendingPathComponent("none").path, "--port", "0"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("error:"), "\(outcome.stderr)")
    }

    @Test func listeningOnEveryAddressWarnsAndATermStopsIt() throws {
        let folder = try scratchFolder("ui-any")
        let store = folder.appendingPathComponent("store").path
        #expect(try flowspec(["run", "examples/movies/movies.yaml", "--store", store]).status == 0)
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["ui", "--host", "0.0.0.0", "--port", "0", "--store", store]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let line = String(decoding: try #require(readLine(from: out.fileHandleForReading)), as: UTF8.self)
        #expect(line.hasPrefix("http://0.0.0.0:") && line.hasSuffix("/"), "\(line)")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let warning = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(warning.contains("warning: listening on 0.0.0.0: anyone who can reach \(line) can read every run"), "\(warning)")
    }

    /// The bytes up to the first newline (what the server prints first: its address).
    private func readLine(from handle: FileHandle) -> Data? {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { return line.isEmpty ? nil : line }
            if byte.first == UInt8(ascii: "\n") { return line }
            line.append(byte)
        }
    }
}
