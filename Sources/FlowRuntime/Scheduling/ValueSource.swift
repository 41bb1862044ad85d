import FlowBasics
import FlowSpec

/// A stored artifact: its blob and what a person sees of it.
public struct ArtifactRef: Hashable, Sendable, Codable {
    /// SHA-256 of the blob, hex.
    public let blob: String
    public let size: Int
    public let type: String
    public let repr: String

    public init(blob: String, size: Int, type: String, repr: String) {
        self.blob = blob
        self.size = size
        self.type = type
        self.repr = repr
    }
}

/// Where an argument's value comes from; the executor turns it into a Python object.
public indirect enum ValueSource: Hashable, Sendable {
    /// An artifact, then attributes, indices and keys applied in order.
    case artifact(ArtifactRef, path: [Reference.Accessor])
    case literal(JSONValue)
    /// `inputs.NAME`: one value per incoming branch or foreach task.
    case list([ValueSource])
    /// `inputs`: one namespace per incoming branch or foreach task.
    case namespaces([[String: ValueSource]])

    public static func artifact(_ ref: ArtifactRef) -> ValueSource { .artifact(ref, path: []) }

    /// The same value with more accessors applied.
    func appending(_ accessors: [Reference.Accessor]) -> ValueSource? {
        guard !accessors.isEmpty else { return self }
        if case .artifact(let ref, let path) = self { return .artifact(ref, path: path + accessors) }
        return nil
    }
}
