import FlowBasics

/// Assembles nodes into mappings and lists as a parser reports them, without recursion,
/// so nesting depth costs heap, not stack. Reports duplicate and non-scalar keys.
struct TreeBuilder {
    /// An open mapping or list. Its items wait on the builder's shared stacks until it closes,
    /// so each collection's array is allocated once, at its final size, instead of growing.
    private struct Frame {
        let isMapping: Bool
        let start: SourcePosition
        let anchor: String?
        /// Where this collection's first item (or entry) sits on `pendingItems` (or `pendingEntries`).
        let base: Int
        var pendingKey: Node?
        /// The key names, gathered once a mapping is too long to search its entries.
        var keyNames: Set<String> = []
        /// Nodes this collection stands for once aliases are expanded, itself included.
        var weight = 1
    }

    private static let longMapping = 8

    let file: String
    let limits: LoadLimits
    private var stack: [Frame] = []
    private var pendingItems: [Node] = []
    private var pendingEntries: [Node.Entry] = []
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
        let base = mapping ? pendingEntries.count : pendingItems.count
        stack.append(Frame(isMapping: mapping, start: start, anchor: anchor, base: base))
        return true
    }

    /// Closes the innermost collection and returns it with its anchor and weight.
    mutating func close(at end: SourcePosition) -> (node: Node, anchor: String?, weight: Int) {
        let frame = stack.removeLast()
        let span = SourceSpan(file: file, start: frame.start, end: end)
        let value: Node.Value
        if frame.isMapping {
            value = .mapping(Array(pendingEntries[frame.base...]))
            pendingEntries.removeSubrange(frame.base...)
        } else {
            value = .sequence(Array(pendingItems[frame.base...]))
            pendingItems.removeSubrange(frame.base...)
        }
        return (Node(value, span: span), frame.anchor, frame.weight)
    }

    /// Adds a finished node to the innermost collection, or makes it the root.
    mutating func add(_ node: Node, weight: Int) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        // One in-place access to the frame: reading its fields one by one would copy it.
        let top = stack.count - 1
        stack[top].weight += weight
        guard stack[top].isMapping else {
            pendingItems.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return
        }
        stack[top].pendingKey = nil
        if let finding = Self.keyProblem(key, in: &stack[top], entries: pendingEntries) {
            diagnostics.append(finding)
            return
        }
        pendingEntries.append(Node.Entry(key: key, value: node))
    }

    /// Why `key` cannot be added to the mapping `frame`, whose entries are `entries[frame.base...]`.
    private static func keyProblem(_ key: Node, in frame: inout Frame, entries: [Node.Entry]) -> Diagnostic? {
        guard let name = key.scalarText else {
            return Diagnostic(.complexKey, at: key.span, "a key must be a plain name, not \(key.kindDescription)")
        }
        guard let first = firstPlace(of: name, in: &frame, entries: entries) else { return nil }
        return Diagnostic(
            .duplicateKey, at: key.span, "duplicate key '\(name)'",
            hint: "remove one of them or merge their contents; a later key would silently replace the first",
            notes: [DiagnosticNote("'\(name)' first appears here", at: entries[first].key.span)])
    }

    /// Where `name` is already a key of the mapping `frame` on `entries`, or nil (and it is noted) if it is not.
    private static func firstPlace(of name: String, in frame: inout Frame, entries: [Node.Entry]) -> Int? {
        let range = frame.base..<entries.count
        if range.count >= longMapping {
            if frame.keyNames.isEmpty {
                for index in range { frame.keyNames.insert(entries[index].name) }
            }
            // One hash per key; only a duplicate, which is rare, pays for the search below.
            if frame.keyNames.insert(name).inserted { return nil }
        }
        return range.first { entries[$0].key.scalarText == name }
    }
}
