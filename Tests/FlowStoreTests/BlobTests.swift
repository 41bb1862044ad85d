import Testing
@testable import FlowStore

@Suite struct BlobTests {
    @Test func rawBlobsAreNamedBySHA256AndStoredOnce() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let hash = try writer.writeRawBlob(Array("abc".utf8))
        #expect(hash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try writer.writeRawBlob(Array("abc".utf8)) == hash)
        #expect(store.files(in: "blobs") == ["ba"])
        #expect(store.files(in: "blobs/ba") == [hash])
        #expect(store.files(in: "tmp").isEmpty)

        let other = try writer.writeRawBlob([])
        #expect(other == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let reader = try StoreReader(path: store.path)
        #expect(try reader.readBlob(other) == [])
        #expect(try reader.blobPath(hash) == "\(store.path)/blobs/ba/\(hash)")
    }

    @Test func verificationFindsCorruptAndMissingBlobs() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let hash = try writer.writeRawBlob(Array("payload".utf8))
        let reader = try StoreReader(path: store.path)
        #expect(try reader.verifyBlob(hash))
        try FileIO.writeAtomically(Array("tampered".utf8), to: try reader.blobPath(hash), through: store.path + "/tmp")
        #expect(try !reader.verifyBlob(hash))
        #expect(throws: StoreError.self) { try reader.readBlob(hash, verify: true) }
        #expect(try !reader.verifyBlob(String(repeating: "0", count: 64)))
        #expect(throws: StoreError.self) { try reader.readBlob("not-a-hash") }
    }
}
