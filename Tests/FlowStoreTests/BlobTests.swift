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

    @Test func parsesTheContainerHeader() throws {
        func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
        let pickle: [UInt8] = [0x80, 0x05, 0x2E]
        let buffers: [[UInt8]] = [[1, 2, 3, 4], [5]]
        let file = Array("FSB1".utf8) + le(2, 4) + le(3, 8) + le(4, 8) + le(1, 8) + pickle + buffers.flatMap { $0 }
        let container = try BlobContainer(parsing: file)
        #expect(container.headerSize == 32)
        #expect(container.pickleLength == 3)
        #expect(container.bufferLengths == [4, 1])
        #expect(Array(file[container.pickleRange]) == pickle)

        #expect(throws: StoreError.self) { try BlobContainer(parsing: Array(file.dropLast())) }
        #expect(throws: StoreError.self) { try BlobContainer(parsing: Array("FSB2".utf8) + file.dropFirst(4)) }
        #expect(throws: StoreError.self) { try BlobContainer(parsing: Array("FSB1".utf8) + le(UInt64(UInt32.max), 4) + le(0, 8)) }
    }
}
