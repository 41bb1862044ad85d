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
    var unknownTargets: [UnknownTarget] = []
    var duplicates: [Duplicate] = []

    init(steps: [Step], known: Set<String>) {
        for step in steps {
            read(step, known: known)
        }
    }

    private mutating func read(_ step: Step, known: Set<String>) {
        let from = step.name.value
        // A list naming two or more distinct steps is a branch; branch i is the i-th distinct one.
        let branches = Set(step.next.map(\.value)).count > 1
        var seen: [String: Located<String>] = [:]
        for target in step.next {
            if let first = seen[target.value] {
                duplicates.append(Duplicate(step: from, first: first, repeated: target))
                continue
            }
            let kind: GraphEdge.Kind = branches ? .branch(seen.count) : .next
            seen[target.value] = target
            add(from: from, target: target, kind: kind, known: known)
        }
        guard let choice = step.switchOn else { return }
        for switchCase in choice.cases {
            add(from: from, target: switchCase.target, kind: .switchCase(label: switchCase.value.label), known: known)
        }
        if let target = choice.defaultTarget {
            add(from: from, target: target, kind: .switchDefault, known: known)
        }
    }

    private mutating func add(from: String, target: Located<String>, kind: GraphEdge.Kind, known: Set<String>) {
        if known.contains(target.value) {
            edges.append(GraphEdge(from: from, to: target.value, kind: kind, span: target.span))
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
