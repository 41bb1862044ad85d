/// A reference to a value, as written in `args`, `foreach` and `switch.on`:
/// a head name followed by attributes, indices and keys (`stats.mean`, `rows[0]`, `cfg["k"]`).
/// FlowSpec reads it; what the head means (an artifact, `item`, `inputs`, a foreach step) is
/// decided by FlowGraph, which knows the steps; the scheduler resolves it in a task's scope.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    public enum Accessor: Hashable, Sendable {
        case attribute(String)
        case index(Int)
        case key(String)
    }

    public var head: String
    public var path: [Accessor]

    public init(head: String, path: [Accessor] = []) {
        self.head = head
        self.path = path
    }

    /// The attribute names directly after the head, e.g. `["STEP", "item"]` for `STEP.item`.
    public var leadingNames: [String] {
        [head] + path.prefix { if case .attribute = $0 { true } else { false } }.map {
            if case .attribute(let name) = $0 { name } else { "" }
        }
    }

    public var description: String {
        path.reduce(head) { text, accessor in
            switch accessor {
            case .attribute(let name): "\(text).\(name)"
            case .index(let index): "\(text)[\(index)]"
            case .key(let key): "\(text)[\"\(key)\"]"
            }
        }
    }
}
