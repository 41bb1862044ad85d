import FlowBasics
import FlowSpec

/// Reads every successor a spec names into edges, keeping what cannot become an edge:
/// targets that name no step and `next` entries written twice.
struct EdgeReader {
    /// A successor naming no step. `label` is the switch case (nil for `next`, "default").
    struct UnknownTarget {
        var step: String
        var target: Located<String>
        var kind: GraphEdge.Kind
    }

    /// A `next` entry that repeats an earlier one.
    struct Duplicate {
        var step: String
        var first: Located<String>
        var repeated: Located<String>
    }

    var edges: [GraphEdge] = []
    /// Each edge's ends, parallel to `edges`.
    var ends: [EdgeEnds] = []
    var unknownTargets: [UnknownTarget] = []
    var duplicates: [Duplicate] = []

    /// `steps` are the first declarations, each at its id; `ids` finds a step's id by name.
    init(steps: [Step], ids: [String: StepID]) {
        for (id, step) in steps.enumerated() {
            read(step, id: id, ids: ids)
        }
    }

    private mutating func read(_ step: Step, id: StepID, ids: [String: StepID]) {
        let from = step.name.value
        let branches = Self.opensBranches(step)
        var seen: [Located<String>] = []
        for target in step.next {
            if let first = seen.first(where: { $0.value == target.value }) {
                duplicates.append(Duplicate(step: from, first: first, repeated: target))
                continue
            }
            let kind: GraphEdge.Kind = branches ? .branch(seen.count) : .next
            seen.append(target)
            add(from: from, id: id, target: target, kind: kind, ids: ids)
        }
        guard let choice = step.switchOn else { return }
        for switchCase in choice.cases {
            add(from: from, id: id, target: switchCase.target, kind: .switchCase(label: switchCase.value.label), ids: ids)
        }
        if let target = choice.defaultTarget {
            add(from: from, id: id, target: target, kind: .switchDefault, ids: ids)
        }
    }

    /// A list naming two or more distinct steps is a branch; branch i is the i-th distinct one.
    static func opensBranches(_ step: Step) -> Bool {
        // Lists are short: a linear scan beats hashing every name.
        step.next.contains { $0.value != step.next[0].value }
    }

    private mutating func add(
        from: String, id: StepID, target: Located<String>, kind: GraphEdge.Kind, ids: [String: StepID]
    ) {
        if let to = ids[target.value] {
            edges.append(GraphEdge(from: from, to: target.value, kind: kind, span: target.span))
            ends.append(EdgeEnds(from: id, to: to))
        } else {
            unknownTargets.append(UnknownTarget(step: from, target: target, kind: kind))
        }
    }
}

extension Node {
    /// A switch case value as the author wrote it.
    var label: String {
        if let text = scalarText { return text }
        switch value {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .string(let text): return text
        case .sequence, .mapping: return kindDescription
        }
    }
}
