import Dispatch
import Synchronization
import Glibc
import Testing
import FlowBasics
@testable import FlowStore

/// The locks between writers and gc: a blob's, and the store's fence.
@Suite struct StoreLockTests {
    @Test func gcCannotTakeABlobAWriterHolds() throws {
        let fixture = try CollectorFixture()
        let path = try fixture.writer.layout.blobPath(try fixture.value("held").blob)
        let writer = try #require(LockedBlob.shared(path))
        #expect(LockedBlob.exclusive(path) == nil, "held shared by a writer")
        writer.close()
        let gc = try #require(LockedBlob.exclusive(path))
        #expect(unlink(path) == 0)
        gc.close()
        #expect(LockedBlob.shared(path) == nil, "removed: a writer then writes it anew")
    }

    @Test func aWriterThatFindsAStoredBlobClaimsIt() throws {
        let fixture = try CollectorFixture()
        let value = try fixture.value("claimed")
        try fixture.backdate("claimed", seconds: 3600)
        #expect(try fixture.writer.writeRawBlob(Array("claimed".utf8)) == value.blob)
        let blob = try #require(LockedBlob.shared(try fixture.writer.layout.blobPath(value.blob)))
        defer { blob.close() }
        #expect(System.nowMilliseconds() - blob.modified < 60_000, "its time set to now")
    }

    @Test func aWriterReplacesADamagedBlob() throws {
        let fixture = try CollectorFixture()
        let value = try fixture.value("whole")
        let path = try fixture.writer.layout.blobPath(value.blob)
        try FileIO.writeAtomically(Array("hole".utf8), to: path, through: fixture.writer.layout.temporary)
        _ = try fixture.writer.writeRawBlob(Array("whole".utf8))
        #expect(try FileIO.read(path) == Array("whole".utf8))
    }

    @Test func gcWaitsForARunThatIsStartingAndARunForGc() throws {
        let store = TemporaryStore()
        _ = try StoreWriter(path: store.path)
        let starting = try #require(StoreFence.shared(store: store.path))
        let waited = Atomic(false)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let gc = try? StoreFence.exclusive(StoreLayout(root: store.path), onWait: { waited.store(true, ordering: .relaxed) })
            gc?.release()
            done.signal()
        }
        while !waited.load(ordering: .relaxed) { usleep(1000) }
        #expect(done.wait(timeout: .now()) == .timedOut, "gc is still waiting")
        starting.release()
        done.wait()

        let gc = try StoreFence.exclusive(StoreLayout(root: store.path), onWait: {})
        let runWaited = Atomic(false)
        DispatchQueue.global().async {
            let run = StoreFence.shared(store: store.path, onWait: { runWaited.store(true, ordering: .relaxed) })
            run?.release()
            done.signal()
        }
        while !runWaited.load(ordering: .relaxed) { usleep(1000) }
        gc.release()
        done.wait()
    }

    @Test func aRunFindsNoFenceWhereThereIsNoStoreAndMakesNoStore() throws {
        let store = TemporaryStore()
        #expect(StoreFence.shared(store: store.path) == nil)
        #expect(!FileIO.exists(store.path))
        #expect(StoreFence.shared(store: store.path, creatingStore: true) != nil)
        #expect(FileIO.exists(store.path + "/gc.lock"))
    }
}
