import FlowBasics

/// One successor relation between two known steps, with the place it was written.
public struct GraphEdge: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The only entry of `next`.
        case next
        /// The entry at this position of a `next` list with several entries: a static branch.
        case branch(Int)
        /// A `switch` case, labelled with its value as written.
        case switchCase(label: String)
        /// The `switch` default.
        case switchDefault
        /// A `switch` case or default back to the same or an earlier step; labelled like the case
        /// (`default` for the default).
        case loop(label: String)
    }

    public var from: String
    public var to: String
    public var kind: Kind
    /// The `next:` entry or the switch target this edge was read from.
    public var span: SourceSpan

    public init(from: String, to: String, kind: Kind, span: SourceSpan) {
        self.from = from
        self.to = to
        self.kind = kind
        self.span = span
    }

    /// The case value, `default`, or the branch position: what a renderer writes on the edge.
    public var label: String? {
        switch kind {
        case .next: nil
        case .branch(let index): String(index)
        case .switchCase(let label), .loop(let label): label
        case .switchDefault: "default"
        }
    }

    public var isLoop: Bool {
        if case .loop = kind { true } else { false }
    }

    /// True for switch cases and defaults, loops included.
    var isSwitch: Bool {
        switch kind {
        case .switchCase, .switchDefault, .loop: true
        case .next, .branch: false
        }
    }
}
