import FlowBasics

/// Assembles nodes into mappings and lists as a parser reports them, without recursion,
/// so nesting depth costs heap, not stack. Reports duplicate and non-scalar keys.
struct TreeBuilder {
    private enum Frame {
        case sequence(start: SourcePosition, items: [Node], weight: Int)
        case mapping(start: SourcePosition, entries: [Node.Entry], pendingKey: Node?, firstSeen: [String: SourceSpan], weight: Int)
    }

    let file: String
    let limits: LoadLimits
    private var stack: [(frame: Frame, anchor: String?)] = []
    private(set) var root: Node?
    private(set) var rootWeight = 0
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, limits: LoadLimits) {
        self.file = file
        self.limits = limits
    }

    var depth: Int { stack.count }

    /// Opens a mapping or list; false when that would nest deeper than the limit.
    mutating func open(mapping: Bool, at start: SourcePosition, anchor: String?) -> Bool {
        guard stack.count < limits.maxDepth else {
            let span = SourceSpan(file: file, start: start, end: start)
            diagnostics.append(Diagnostic(
                .nestingTooDeep, at: span, "values are nested more than \(limits.maxDepth) levels deep",
                hint: "a spec needs only a few levels; flatten this value or load it from a file param"))
            return false
        }
        let frame: Frame = mapping
            ? .mapping(start: start, entries: [], pendingKey: nil, firstSeen: [:], weight: 1)
            : .sequence(start: start, items: [], weight: 1)
        stack.append((frame, anchor))
        return true
    }

    /// Closes the innermost collection and returns it with its anchor and weight
    /// (the number of nodes it stands for once aliases are expanded).
    mutating func close(at end: SourcePosition) -> (node: Node, anchor: String?, weight: Int) {
        let (frame, anchor) = stack.removeLast()
        switch frame {
        case .sequence(let start, let items, let weight):
            return (Node(.sequence(items), span: SourceSpan(file: file, start: start, end: end)), anchor, weight)
        case .mapping(let start, let entries, _, _, let weight):
            return (Node(.mapping(entries), span: SourceSpan(file: file, start: start, end: end)), anchor, weight)
        }
    }

    /// Adds a finished node to the innermost collection, or makes it the root.
    mutating func add(_ node: Node, weight: Int) {
        guard let top = stack.popLast() else {
            root = node
            rootWeight = weight
            return
        }
        switch top.frame {
        case .sequence(let start, var items, let total):
            items.append(node)
            stack.append((.sequence(start: start, items: items, weight: total + weight), top.anchor))
        case .mapping(let start, var entries, let pendingKey, var firstSeen, let total):
            guard let key = pendingKey else {
                stack.append((.mapping(start: start, entries: entries, pendingKey: node, firstSeen: firstSeen, weight: total + weight), top.anchor))
                return
            }
            if let name = accept(key: key, firstSeen: firstSeen) {
                firstSeen[name] = key.span
                entries.append(Node.Entry(key: key, value: node))
            }
            stack.append((.mapping(start: start, entries: entries, pendingKey: nil, firstSeen: firstSeen, weight: total + weight), top.anchor))
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
