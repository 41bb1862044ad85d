import FlowBasics

/// Blob names: the SHA-256 of a blob file's bytes, 64 lowercase hex digits.
public enum BlobHash {
    public static func of(_ bytes: [UInt8]) -> String {
        SHA256.hex(SHA256.hash(bytes))
    }

    public static func isValid(_ hash: String) -> Bool {
        hash.utf8.count == 64 && hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// The header of a pickled-value blob (worker protocol, "Blobs"): magic `FSB1`, the number of
/// out-of-band buffers, the pickle stream's length and each buffer's length, little-endian.
public struct BlobContainer: Hashable, Sendable {
    public static let magic: [UInt8] = Array("FSB1".utf8)

    /// Bytes before the pickle stream.
    public var headerSize: Int
    public var pickleLength: UInt64
    public var bufferLengths: [UInt64]

    /// Reads and checks the header of `bytes`, a whole blob file: the lengths must add up to
    /// the file's size exactly.
    public init(parsing bytes: [UInt8]) throws {
        func fail(_ reason: String) -> StoreError { .blobCorrupt("container", reason: reason) }
        func u64(at offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        guard bytes.count >= 16, Array(bytes[0..<4]) == Self.magic else { throw fail("it does not start with 'FSB1'") }
        let count = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 + $1]) << (8 * UInt32($1)) }
        guard UInt64(count) <= UInt64(bytes.count - 16) / 8 else { throw fail("its header claims \(count) buffers") }
        headerSize = 16 + 8 * Int(count)
        pickleLength = u64(at: 8)
        bufferLengths = (0..<Int(count)).map { u64(at: 16 + 8 * $0) }
        var total = UInt64(headerSize)
        for length in [pickleLength] + bufferLengths {
            let (sum, overflow) = total.addingReportingOverflow(length)
            guard !overflow else { throw fail("its lengths overflow") }
            total = sum
        }
        guard total == UInt64(bytes.count) else {
            throw fail("its header describes \(total) bytes but the file has \(bytes.count)")
        }
    }

    /// The pickle stream's byte range within the file.
    public var pickleRange: Range<Int> { headerSize..<headerSize + Int(pickleLength) }
}

/// Reading and writing blob files. Used by both the writer (raw blobs) and the reader.
struct BlobFiles {
    let layout: StoreLayout

    /// Stores `bytes` as a raw blob; returns its hash. A blob that exists with these bytes is
    /// not written again; a damaged one is replaced.
    func writeRaw(_ bytes: [UInt8]) throws -> String {
        let hash = BlobHash.of(bytes)
        let path = try layout.blobPath(hash)
        if FileIO.size(path) == Int64(bytes.count), (try? FileIO.read(path)) == bytes { return hash }
        try FileIO.makeDirectory(FileIO.parentOf(path))
        try FileIO.makeDirectory(layout.temporary)
        try FileIO.writeAtomically(bytes, to: path, through: layout.temporary)
        return hash
    }

    func read(_ hash: String) throws -> [UInt8] {
        let path = try layout.blobPath(hash)
        guard FileIO.exists(path) else { throw StoreError.blobMissing(hash) }
        return try FileIO.read(path)
    }

    /// Reads a blob and checks that its bytes hash to its name.
    func readVerified(_ hash: String) throws -> [UInt8] {
        let bytes = try read(hash)
        let actual = BlobHash.of(bytes)
        guard actual == hash else { throw StoreError.blobCorrupt(hash, reason: "its bytes hash to \(actual)") }
        return bytes
    }
}
