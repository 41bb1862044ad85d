import FlowBasics

/// Assembles nodes into mappings and lists as a parser reports them, without recursion,
/// so nesting depth costs heap, not stack. Reports duplicate and non-scalar keys.
struct TreeBuilder {
    /// An open mapping or list. Frames are mutated in place on the stack, so adding an item
    /// never copies the items before it.
    private struct Frame {
        let isMapping: Bool
        let start: SourcePosition
        let anchor: String?
        var items: [Node] = []
        var entries: [Node.Entry] = []
        var pendingKey: Node?
        var firstSeen: [String: SourceSpan] = [:]
        /// Nodes this collection stands for once aliases are expanded, itself included.
        var weight = 1
    }

    let file: String
    let limits: LoadLimits
    private var stack: [Frame] = []
    private(set) var root: Node?
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, limits: LoadLimits) {
        self.file = file
        self.limits = limits
    }

    /// Opens a mapping or list; false when that would nest deeper than the limit.
    mutating func open(mapping: Bool, at start: SourcePosition, anchor: String?) -> Bool {
        guard stack.count < limits.maxDepth else {
            let span = SourceSpan(file: file, start: start, end: start)
            diagnostics.append(Diagnostic(
                .nestingTooDeep, at: span, "values are nested more than \(limits.maxDepth) levels deep",
                hint: "a spec needs only a few levels; flatten this value or load it from a file param"))
            return false
        }
        stack.append(Frame(isMapping: mapping, start: start, anchor: anchor))
        return true
    }

    /// Closes the innermost collection and returns it with its anchor and weight.
    mutating func close(at end: SourcePosition) -> (node: Node, anchor: String?, weight: Int) {
        let frame = stack.removeLast()
        let span = SourceSpan(file: file, start: frame.start, end: end)
        let value: Node.Value = frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items)
        return (Node(value, span: span), frame.anchor, frame.weight)
    }

    /// Adds a finished node to the innermost collection, or makes it the root.
    mutating func add(_ node: Node, weight: Int) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].weight += weight
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return
        }
        stack[top].pendingKey = nil
        if let name = accept(key: key, firstSeen: stack[top].firstSeen) {
            stack[top].firstSeen[name] = key.span
            stack[top].entries.append(Node.Entry(key: key, value: node))
        }
    }

    /// The key's text if it may be added; reports non-scalar and duplicate keys.
    private mutating func accept(key: Node, firstSeen: [String: SourceSpan]) -> String? {
        guard let name = key.scalarText else {
            diagnostics.append(Diagnostic(
                .complexKey, at: key.span, "a key must be a plain name, not \(key.kindDescription)"))
            return nil
        }
        if let first = firstSeen[name] {
            diagnostics.append(Diagnostic(
                .duplicateKey, at: key.span, "duplicate key '\(name)'",
                hint: "remove one of them or merge their contents; a later key would silently replace the first",
                notes: [DiagnosticNote("'\(name)' first appears here", at: first)]))
            return nil
        }
        return name
    }
}
