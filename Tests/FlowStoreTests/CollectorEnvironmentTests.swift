import Glibc
import Testing
import FlowBasics
@testable import FlowStore

/// Built environments (`envs/HASH/`) go when no kept run names them and no build holds them.
@Suite struct CollectorEnvironmentTests {
    /// `envs/HASH/` with a file of `size` bytes, and the marker unless `built` is false.
    private func environment(_ hash: String, in fixture: CollectorFixture, size: Int = 1000, built: Bool = true) throws {
        let folder = "\(fixture.store.path)/envs/\(hash)"
        try FileIO.makeDirectory(folder + "/lib/site-packages")
        try FileIO.writeAtomically([UInt8](repeating: 7, count: size), to: folder + "/lib/site-packages/module.so", through: folder)
        try FileIO.symlink(target: "/usr/bin/python3", at: folder + "/python3")
        if built { try FileIO.writeAtomically(Array("{}".utf8), to: folder + "/" + EnvironmentSweep.marker, through: folder) }
    }

    private func run(using hash: String, _ fixture: CollectorFixture) throws -> RunID {
        let run = try fixture.run("Env", outputs: [])
        try fixture.writer.recordEnvironments(run: run, [RunEnvironmentRecord(kind: .requirements, location: "envs/\(hash)", hash: hash)])
        return run
    }

    @Test func removesTheEnvironmentsNoKeptRunNamesUnlessOneIsBeingBuilt() throws {
        let fixture = try CollectorFixture()
        let (named, unnamed, building, halfBuilt) = ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddddddddddd")
        for hash in [named, unnamed, building] { try environment(hash, in: fixture) }
        try environment(halfBuilt, in: fixture, size: 10, built: false)
        let old = try run(using: unnamed, fixture)
        let kept = try run(using: named, fixture)
        let lock = open("\(fixture.store.path)/envs/\(building).lock", O_RDWR | O_CREAT, 0o644)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX) == 0, "the test holds a build's lock")

        let report = try fixture.collect(CollectionRequest(keepLast: 1))
        #expect(report.deletedRuns.map(\.id) == [old])
        #expect(try fixture.runIDs() == [kept])
        #expect(report.environments == [unnamed, halfBuilt])
        #expect(report.environmentSpace.bytes == 1000 + 2 + 10, "the files' bytes, the link not followed")
        #expect(report.environmentSpace.disk >= 2 * 4096, "two files and three folders of blocks")
        let left = FileIO.names(in: "\(fixture.store.path)/envs").sorted()
        #expect(left == [named, building, "\(building).lock", "\(unnamed).lock", "\(halfBuilt).lock"].sorted(), "lock files stay")
        #expect(FileIO.exists("/usr/bin/python3"), "a link's target is not removed")
    }

    @Test func aDryRunOnlyLooks() throws {
        let fixture = try CollectorFixture()
        try environment("eeeeeeeeeeeeeeee", in: fixture)
        let report = try fixture.collect(CollectionRequest(dryRun: true))
        #expect(report.environments == ["eeeeeeeeeeeeeeee"])
        #expect(FileIO.names(in: "\(fixture.store.path)/envs") == ["eeeeeeeeeeeeeeee"], "not even a lock file")
    }
}

extension FileIO {
    static func symlink(target: String, at path: String) throws {
        if Glibc.symlink(target, path) != 0 { throw StoreError.io(path: path, reason: System.errorText(errno)) }
    }
}
