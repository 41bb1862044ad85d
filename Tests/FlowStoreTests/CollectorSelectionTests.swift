import Testing
import FlowBasics
@testable import FlowStore

/// Which runs `gc` deletes: what --keep-last, --older-than and --flow select, together.
@Suite struct CollectorSelectionTests {
    @Test func keepLastKeepsTheNewestRunsOfEachFlow() throws {
        let fixture = try CollectorFixture()
        let a = try (0..<4).map { try fixture.run("A", outputs: ["a\($0)"]) }
        let b = try (0..<2).map { try fixture.run("B", outputs: ["b\($0)"]) }
        let report = try fixture.collect(CollectionRequest(keepLast: 2))
        #expect(report.deletedRuns.map(\.id) == [a[1], a[0]], "newest first")
        #expect(Set(try fixture.runIDs()) == Set([a[2], a[3]] + b))
        #expect(report.keptRuns == 4)
        #expect(report.blobs == 2 && !fixture.holds("a0") && !fixture.holds("a1") && fixture.holds("a2") && fixture.holds("b0"))
    }

    @Test func olderThanDeletesOnlyRunsThatBeganBefore() throws {
        let fixture = try CollectorFixture()
        let old = try fixture.run("A", outputs: ["old"])
        let recent = try fixture.run("A", outputs: ["recent"])
        try fixture.age(old, days: 40)
        try fixture.age(recent, days: 20)
        let now = System.nowMilliseconds()
        let report = try fixture.collect(CollectionRequest(startedBefore: now - 30 * 86_400_000))
        #expect(report.deletedRuns.map(\.id) == [old])
        #expect(try fixture.runIDs() == [recent])
    }

    @Test func aRunIsDeletedOnlyWhenEveryOptionSelectsIt() throws {
        let fixture = try CollectorFixture()
        let runs = try (0..<4).map { try fixture.run("A", outputs: ["v\($0)"]) }
        try fixture.age(runs[0], days: 10)
        try fixture.age(runs[1], days: 9)  // old, but among the newest 3: kept
        let other = try fixture.run("B", outputs: ["w"])
        try fixture.age(other, days: 10)
        let report = try fixture.collect(CollectionRequest(keepLast: 3, startedBefore: System.nowMilliseconds() - 86_400_000, flow: "A"))
        #expect(report.deletedRuns.map(\.id) == [runs[0]], "old, not among the newest 3, of flow A")
        #expect(Set(try fixture.runIDs()) == Set(runs.dropFirst() + [other]))
    }

    @Test func withoutOptionsNoRunIsDeletedButUnnamedFilesAre() throws {
        let fixture = try CollectorFixture()
        let run = try fixture.run("A", outputs: ["kept"])
        _ = try fixture.value("left by a killed run")
        let report = try fixture.collect()
        #expect(report.deletedRuns.isEmpty && report.keptRuns == 1)
        #expect(report.blobs == 1 && report.blobSpace.bytes == Int64("left by a killed run".utf8.count))
        #expect(report.blobSpace.disk >= 512, "a block at least")
        #expect(!fixture.holds("left by a killed run") && fixture.holds("kept"))
        #expect(try fixture.runIDs() == [run])
    }

    @Test func keepLastZeroDeletesEveryRunOfTheFlowAndTheFlow() throws {
        let fixture = try CollectorFixture()
        try fixture.run("A", outputs: ["a"])
        try fixture.run("B", outputs: ["b"])
        let report = try fixture.collect(CollectionRequest(keepLast: 0, flow: "A"))
        #expect(report.deletedRuns.map(\.flow) == ["A"])
        #expect(try StoreReader(path: fixture.store.path).flows().map(\.name) == ["B"])
    }
}
