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
///
/// A step usually sees its one parent's artifacts plus its own outputs. Copying the parent's
/// names into every step would cost O(steps²) on long flows, so a scope is a short chain of
/// frozen layers shared with its ancestors, flattened once the chain grows long. Most layers
/// hold a step's one or two outputs: they are short lists, scanned, and only flattened or merged
/// layers are hashed. Each layer carries a one-word filter of its names, so a lookup skips the
/// layers that cannot hold the name: `item`, `inputs` or a foreach step's name are looked up in
/// every scope without being in any.
struct ArtifactScope: Sendable {
    private final class Layer: Sendable {
        /// A few artifacts, scanned; or, when `list` is empty, many, hashed.
        let list: [Artifact]
        let table: [String: Artifact]
        /// Covers every name in the layer, and maybe others.
        let filter: NameFilter
        let below: Layer?
        let height: Int

        init(list: [Artifact] = [], table: [String: Artifact] = [:], filter: NameFilter, below: Layer?) {
            self.list = list
            self.table = table
            self.filter = filter
            self.below = below
            height = (below?.height ?? 0) + 1
        }

        subscript(name: String) -> Artifact? {
            list.isEmpty ? table[name] : list.first { $0.name == name }
        }

        /// Writes this layer's artifacts into `result`, replacing what they shadow.
        func write(into result: inout [String: Artifact]) {
            if list.isEmpty {
                result.merge(table) { _, nearer in nearer }
            } else {
                for artifact in list { result[artifact.name] = artifact }
            }
        }
    }

    /// Chains longer than this are flattened into one layer.
    private static let maxHeight = 64
    /// Layers with more artifacts than this are hashed.
    private static let maxListed = 8

    /// This scope's own additions, nearest of all; one artifact a name.
    private var top: [Artifact] = []
    private var topFilter = NameFilter()
    private var below: Layer?
    /// Whether an ancestor has `outputs: "*"`: its names cannot be known before the run.
    private(set) var isOpaque = false

    subscript(name: String) -> Artifact? {
        if let artifact = top.first(where: { $0.name == name }) { return artifact }
        let bit = NameFilter.bit(name)
        var layer = below
        while let current = layer {
            if current.filter.mayHold(bit), let artifact = current[name] { return artifact }
            layer = current.below
        }
        return nil
    }

    private mutating func set(_ artifact: Artifact) {
        if let index = top.firstIndex(where: { $0.name == artifact.name }) {
            top[index] = artifact
        } else {
            top.append(artifact)
            topFilter.insert(artifact.name)
        }
    }

    private var layers: some Sequence<Layer> { sequence(first: below) { $0?.below }.lazy.compactMap { $0 } }

    /// Every visible artifact, nearest producer winning.
    var artifacts: [String: Artifact] {
        // Start from the farthest layer, usually the largest, so it is copied, not rehashed;
        // nearer layers then overwrite what they shadow.
        let chain = Array(layers).reversed()
        var result = chain.first.map { $0.list.isEmpty ? $0.table : [:] } ?? [:]
        for (position, layer) in chain.enumerated() where position > 0 || !layer.list.isEmpty {
            layer.write(into: &result)
        }
        for artifact in top { result[artifact.name] = artifact }
        return result
    }

    /// Covers every visible name.
    private var filter: NameFilter {
        layers.reduce(topFilter) { $0.union($1.filter) }
    }

    var names: [String] { artifacts.keys.sorted() }

    /// What a single child sees before adding its own outputs: this scope, shared, not copied.
    func extended() -> ArtifactScope {
        var child = ArtifactScope()
        child.isOpaque = isOpaque
        if top.isEmpty {
            child.below = below
        } else if (below?.height ?? 0) + 1 >= Self.maxHeight {
            child.below = Layer(table: artifacts, filter: filter, below: nil)
        } else if top.count > Self.maxListed {
            let table = Dictionary(top.map { ($0.name, $0) }) { _, nearer in nearer }
            child.below = Layer(table: table, filter: topFilter, below: below)
        } else {
            child.below = Layer(list: top, filter: topFilter, below: below)
        }
        return child
    }

    /// A scope of `table` alone, opaque if `isOpaque`, as a child sees it.
    private static func holding(_ table: [String: Artifact], filter: NameFilter, isOpaque: Bool, below: Layer?) -> ArtifactScope {
        var scope = ArtifactScope()
        scope.isOpaque = isOpaque
        scope.below = table.isEmpty ? below : Layer(table: table, filter: filter, below: below)
        return scope
    }

    /// What the first step sees: every param.
    static func params(of spec: Spec) -> ArtifactScope {
        var scope = ArtifactScope()
        for param in spec.params {
            scope.set(Artifact(name: param.name.value, producer: nil, splits: []))
        }
        return scope
    }

    /// Adds what `step` produces when it runs inside `splits`.
    mutating func addOutputs(of step: Step, splits: [SplitFrame], catchName: String?) {
        guard step.run != nil else { return }
        let name = step.name.value
        let shape = step.outputShape
        for output in shape.names {
            set(Artifact(name: output, producer: name, splits: splits))
        }
        if shape == .mapping { isOpaque = true }
        if let catchName {
            set(Artifact(name: catchName, producer: name, splits: splits))
        }
    }

    /// Several parents that are alternatives (switch cases): whatever any of them produced is
    /// visible, an unmerged value preferred.
    static func merging(_ scopes: [ArtifactScope]) -> ArtifactScope {
        if scopes.count == 1 { return scopes[0].extended() }
        var table: [String: Artifact] = [:]
        var filter = NameFilter()
        for scope in scopes {
            for (name, artifact) in scope.artifacts where table[name].map({ $0.merged != nil && artifact.merged == nil }) ?? true {
                table[name] = artifact
            }
            filter = filter.union(scope.filter)
        }
        return holding(table, filter: filter, isOpaque: scopes.contains(where: \.isOpaque), below: nil)
    }

    /// The parents of a join whose own stack has `depth` branches and foreaches: an artifact
    /// produced deeper than that was produced inside the split the join closes, so it may differ
    /// between branches and is merged. `base` is what every branch saw when the split opened and
    /// `inside` the names produced within it: only those need looking at.
    static func joining(_ scopes: [ArtifactScope], at join: String, depth: Int, closing stack: [SplitFrame],
                        base: ArtifactScope, inside: Set<String>) -> ArtifactScope {
        var table: [String: Artifact] = [:]
        var filter = NameFilter()
        for scope in scopes {
            for name in inside {
                guard var artifact = scope[name] else { continue }
                if artifact.merged == nil, artifact.splits.count > depth {
                    artifact.merged = Artifact.Merge(join: join, split: artifact.splits[depth].split)
                    artifact.splits = stack
                }
                if let existing = table[name], existing.merged != nil || artifact.merged == nil {
                    continue
                }
                table[name] = artifact
                filter.insert(name)
            }
        }
        let below = base.extended().below
        return holding(table, filter: filter, isOpaque: scopes.contains(where: \.isOpaque), below: below)
    }
}

/// A one-word Bloom filter of names: a layer holding one or two names rules out most others
/// without hashing them into its dictionary.
struct NameFilter: Sendable {
    private var bits: UInt64 = 0

    /// The name's bit: FNV-1a over its bytes, folded to 0..<64.
    static func bit(_ name: String) -> UInt64 {
        var name = name
        let hash = name.withUTF8 { bytes in
            bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        }
        return 1 << ((hash ^ hash >> 32) & 63)
    }

    mutating func insert(_ name: String) { bits |= Self.bit(name) }

    func union(_ other: NameFilter) -> NameFilter { NameFilter(bits: bits | other.bits) }

    func mayHold(_ bit: UInt64) -> Bool { bits & bit != 0 }
}
