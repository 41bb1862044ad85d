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
        /// The key names, gathered once a mapping is too long to search its entries.
        var keyNames: Set<String> = []
        /// Nodes this collection stands for once aliases are expanded, itself included.
        var weight = 1

        init(isMapping: Bool, start: SourcePosition, anchor: String?) {
            self.isMapping = isMapping
            self.start = start
            self.anchor = anchor
            // Most collections in a spec hold a handful of values: room for them at once
            // saves growing the array three times.
            if isMapping { entries.reserveCapacity(Self.typicalCount) } else { items.reserveCapacity(Self.typicalCount) }
        }

        private static let typicalCount = 6
        private static let longMapping = 8

        /// Where `name` was first used as a key of this mapping, or nil (and it is noted) if never.
        mutating func firstPlace(of name: String) -> SourceSpan? {
            if entries.count >= Self.longMapping {
                if keyNames.isEmpty {
                    for entry in entries { keyNames.insert(entry.name) }
                }
                // One hash per key; only a duplicate, which is rare, pays for the search below.
                if keyNames.insert(name).inserted { return nil }
            }
            return entries.first { $0.key.scalarText == name }?.key.span
        }
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
        // One in-place access to the frame: reading its fields one by one would copy it.
        if let finding = Self.insert(node, weight: weight, into: &stack[stack.count - 1]) {
            diagnostics.append(finding)
        }
    }

    private static func insert(_ node: Node, weight: Int, into frame: inout Frame) -> Diagnostic? {
        frame.weight += weight
        guard frame.isMapping else {
            frame.items.append(node)
            return nil
        }
        guard let key = frame.pendingKey else {
            frame.pendingKey = node
            return nil
        }
        frame.pendingKey = nil
        guard let name = key.scalarText else {
            return Diagnostic(.complexKey, at: key.span, "a key must be a plain name, not \(key.kindDescription)")
        }
        if let first = frame.firstPlace(of: name) {
            return Diagnostic(
                .duplicateKey, at: key.span, "duplicate key '\(name)'",
                hint: "remove one of them or merge their contents; a later key would silently replace the first",
                notes: [DiagnosticNote("'\(name)' first appears here", at: first)])
        }
        frame.entries.append(Node.Entry(key: key, value: node))
        return nil
    }
}
