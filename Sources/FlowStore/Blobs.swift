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

/// Reading and writing blob files. Used by both the writer (raw blobs) and the reader.
struct BlobFiles {
    let layout: StoreLayout

    /// Stores `bytes` as a raw blob; returns its hash. A blob that exists with these bytes is
    /// not written again but claimed (`LockedBlob`); a damaged one is replaced.
    func writeRaw(_ bytes: [UInt8]) throws -> String {
        let hash = BlobHash.of(bytes)
        let path = try layout.blobPath(hash)
        let existing = LockedBlob.shared(path)
        defer { existing?.close() }
        if let existing, existing.holds(bytes), existing.touch() { return hash }
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
