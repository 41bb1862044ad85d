import FlowSpec

/// An artifact a step can see: who produced it and inside which splits.
struct Artifact: Sendable {
    /// Where a join merged branches (or foreach tasks) on which the artifact may differ.
    struct Merge: Sendable {
        var join: String
        var split: SplitFrame
    }

    var name: String
    /// The producing step; nil for a param.
    var producer: String?
    /// The producer's branches and foreaches, outermost first.
    var splits: [SplitFrame]
    /// Set once a join merged it: from then on it is readable only through `inputs`.
    var merged: Merge?
}

/// The artifacts visible at a point of the graph, nearest producer winning.
struct ArtifactScope: Sendable {
    private(set) var artifacts: [String: Artifact] = [:]
    /// Whether an ancestor has `outputs: "*"`: its names cannot be known before the run.
    private(set) var isOpaque = false

    subscript(name: String) -> Artifact? { artifacts[name] }

    var names: [String] { artifacts.keys.sorted() }

    /// What the first step sees: every param.
    static func params(of spec: Spec) -> ArtifactScope {
        var scope = ArtifactScope()
        for param in spec.params {
            scope.artifacts[param.name.value] = Artifact(name: param.name.value, producer: nil, splits: [])
        }
        return scope
    }

    /// Adds what `step` produces when it runs inside `splits`.
    mutating func addOutputs(of step: Step, splits: [SplitFrame], catchName: String?) {
        guard step.run != nil else { return }
        let name = step.name.value
        for output in step.producedNames {
            artifacts[output] = Artifact(name: output, producer: name, splits: splits)
        }
        if case .mapping? = step.outputs?.value { isOpaque = true }
        if let catchName {
            artifacts[catchName] = Artifact(name: catchName, producer: name, splits: splits)
        }
    }

    /// Several parents that are alternatives (switch cases): whatever any of them produced is
    /// visible, an unmerged value preferred.
    static func merging(_ scopes: [ArtifactScope]) -> ArtifactScope {
        var result = ArtifactScope()
        result.isOpaque = scopes.contains(where: \.isOpaque)
        for scope in scopes {
            for (name, artifact) in scope.artifacts where result.artifacts[name].map({ $0.merged != nil && artifact.merged == nil }) ?? true {
                result.artifacts[name] = artifact
            }
        }
        return result
    }

    /// The parents of a join whose own stack has `depth` branches and foreaches: an artifact
    /// produced deeper than that was produced inside the split the join closes, so it may differ
    /// between branches and is merged.
    static func joining(_ scopes: [ArtifactScope], at join: String, depth: Int, closing stack: [SplitFrame]) -> ArtifactScope {
        var result = ArtifactScope()
        result.isOpaque = scopes.contains(where: \.isOpaque)
        for scope in scopes {
            for (name, var artifact) in scope.artifacts {
                if artifact.merged == nil, artifact.splits.count > depth {
                    artifact.merged = Artifact.Merge(join: join, split: artifact.splits[depth].split)
                    artifact.splits = stack
                }
                if let existing = result.artifacts[name], existing.merged != nil || artifact.merged == nil {
                    continue
                }
                result.artifacts[name] = artifact
            }
        }
        return result
    }
}

extension Step {
    /// The names this step's return value is stored under (without `catch`): its outputs, or its
    /// own name when it has none; `outputs: "*"` names nothing known in advance.
    var producedNames: [String] {
        guard let outputs else { return [name.value] }
        switch outputs.value {
        case .single(let output): return [output]
        case .unpacked(let names): return names.map(\.value)
        case .mapping: return []
        }
    }
}
