/// A stored value as a worker reports it, the store records it and the scheduler passes it on:
/// its blob, type, size and short repr, never the value itself.
public struct ArtifactRef: Hashable, Sendable, Codable {
    /// The SHA-256 (lowercase hex) of the blob file.
    public var blob: String
    /// The blob file's size in bytes.
    public var size: Int64
    /// The value's type, `module.qualname`.
    public var type: String
    /// At most 200 characters of the value's repr.
    public var repr: String

    public init(blob: String, size: Int64, type: String, repr: String) {
        self.blob = blob
        self.size = size
        self.type = type
        self.repr = repr
    }
}
