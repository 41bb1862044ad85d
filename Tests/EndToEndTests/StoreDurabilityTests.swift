import FlowStore
import Foundation
import Testing

/// Blobs reach the disk before the records that name them, and the store mends what a crash or
/// a damaged disk leaves behind.
@Suite(.serialized) struct StoreDurabilityTests {
    private static func flow(in folder: URL) throws {
        try "def a():\n    return list(range(1000))\n\ndef b(x):\n    return sum(x)\n"
            .write(to: folder.appendingPathComponent("s.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Durable\nsteps:\n  start: {run: s.py:a, outputs: x, next: end}\n  end: {run: s.py:b, outputs: y}\n"
            .write(to: folder.appendingPathComponent("d.yaml"), atomically: true, encoding: .utf8)
    }

    /// Traced system calls: every blob renamed into place (by a worker or the scheduler) is
    /// flushed by a `syncfs` before the run's last write to the database's log; a blob the
    /// scheduler writes itself is flushed before its very next write to the log.
    @Test func blobsAreSyncedBeforeTheRecordsThatNameThemCommit() throws {
        let folder = try scratchFolder("durable")
        try Self.flow(in: folder)
        let trace = folder.appendingPathComponent("trace").path
        let run = try runProgram(["/usr/bin/strace", "-f", "-y", "-o", trace, "-e", "trace=rename,renameat,renameat2,syncfs,pwrite64",
                                  flowspecBinary.path, "run", "d.yaml", "--store", "store", "-q"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let isRename = { (line: Substring) in line.contains("rename") && line.contains("/store/blobs/") }
        let isSync = { (line: Substring) in line.contains("syncfs(") && line.hasSuffix("= 0") }
        let isLogWrite = { (line: Substring) in line.contains("pwrite64(") && line.contains("flowspec.db-wal>") }
        let renames = lines.indices.filter { isRename(lines[$0]) }
        let lastLogWrite = try #require(lines.indices.last { isLogWrite(lines[$0]) })
        #expect(renames.count >= 3, "the spec and two values")
        for index in renames {
            #expect(lines[index..<lastLogWrite].contains(where: isSync), "not synced: \(lines[index])")
        }
        // The threads that write the log are the scheduler's; so are the blobs they rename.
        let thread = { (line: Substring) in line.split(separator: " ").first ?? "" }
        let writers = Set(lines.filter(isLogWrite).map(thread))
        let own = renames.filter { writers.contains(thread(lines[$0])) }
        #expect(!own.isEmpty, "the scheduler stores the spec itself")
        for index in own {
            let next = try #require(lines[index...].firstIndex { isSync($0) || isLogWrite($0) })
            #expect(isSync(lines[next]), "logged before it was synced: \(lines[index])")
        }
    }
}
