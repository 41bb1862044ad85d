import FlowBasics

/// Where an argument's value comes from; the executor turns it into a Python object.
public indirect enum ValueSource: Hashable, Sendable {
    /// An artifact, then attributes, indices and keys applied in order.
    case artifact(ArtifactRef, path: [Reference.Accessor])
    case literal(JSONValue)
    /// `inputs.NAME`: one value per incoming branch or foreach task.
    case list([ValueSource])
    /// `inputs`: one namespace per incoming branch or foreach task; for static branches, also
    /// the step each branch ended at, by which Python reads it as `inputs.STEP`.
    case namespaces([[String: ValueSource]], steps: [String]?)

    public static func artifact(_ ref: ArtifactRef) -> ValueSource { .artifact(ref, path: []) }

    /// The same value with more accessors applied.
    func appending(_ accessors: [Reference.Accessor]) -> ValueSource? {
        guard !accessors.isEmpty else { return self }
        if case .artifact(let ref, let path) = self { return .artifact(ref, path: path + accessors) }
        return nil
    }
}
