import FlowGraph
import FlowSpec

/// The names a step can bind parameters to (docs/spec.md section 3): params, the outputs and `catch`
/// names of its ancestors, `item` and `index` inside a foreach, `inputs` in a join.
///
/// Names produced inside a split stay in a join's view even though only those equal on every
/// branch are bound at run time: the deep check errs towards silence.
public struct VisibleNames: Sendable {
    /// Per step: the names, or nil when an ancestor's `outputs: "*"` makes them unknowable.
    public private(set) var names: [String: Set<String>?] = [:]

    public init(graph: StepGraph) {
        let spec = graph.spec
        let params = Set(spec.params.map(\.name.value))
        var ancestors: [String: Set<String>] = [:]
        for name in graph.order {
            var above: Set<String> = []
            for parent in graph.parents(of: name) {
                above.insert(parent)
                above.formUnion(ancestors[parent] ?? [])
            }
            ancestors[name] = above
        }
        for name in graph.order {
            guard let step = graph.step(name) else { continue }
            var visible = params
            var known = true
            for ancestor in ancestors[name] ?? [] {
                guard let producer = graph.step(ancestor) else { continue }
                guard let produced = Self.produced(by: producer, spec: spec) else { known = false; continue }
                visible.formUnion(produced)
            }
            if step.foreach != nil || graph.enclosingSplits(of: name).contains(where: { if case .foreach = $0 { true } else { false } }) {
                visible.formUnion(["item", "index"])
            }
            if step.isJoin { visible.insert("inputs") }
            names[name] = known ? visible : nil
        }
    }

    /// What a step stores: its outputs or its own name, and its `catch` name; nil for `outputs: "*"`.
    private static func produced(by step: Step, spec: Spec) -> Set<String>? {
        guard step.run != nil else { return [] }
        var names: Set<String> = []
        if let catchName = step.settings.catchName ?? spec.defaults.catchName { names.insert(catchName.value) }
        switch step.outputs?.value {
        case nil: names.insert(step.name.value)
        case .single(let output): names.insert(output)
        case .unpacked(let outputs): names.formUnion(outputs.map(\.value))
        case .mapping: return nil
        }
        return names
    }
}
