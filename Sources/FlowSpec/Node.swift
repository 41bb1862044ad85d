import FlowBasics

/// A YAML or JSON value with the span it was read from: the located tree every check works on.
public struct Node: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case sequence([Node])
        case mapping([Entry])
    }

    /// One `key: value` pair; keys are scalars, kept with their own span.
    public struct Entry: Sendable {
        public var key: Node
        public var value: Node

        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }

        /// The key as written, for matching against known key names.
        public var name: String { key.scalarText ?? "" }
    }

    /// The fields live in one immutable box: a tree of thousands of nodes is handed around
    /// and copied constantly while it is built and read, and copying a box is one retain
    /// where copying the fields was three and an outlined copy of the value.
    private final class Storage: Sendable {
        let value: Value
        let span: SourceSpan
        let scalarText: String?

        init(_ value: Value, span: SourceSpan, scalarText: String?) {
            self.value = value
            self.span = span
            self.scalarText = scalarText
        }
    }

    private var storage: Storage

    public var value: Value {
        get { storage.value }
        set { storage = Storage(newValue, span: span, scalarText: scalarText) }
    }

    public var span: SourceSpan {
        get { storage.span }
        set { storage = Storage(value, span: newValue, scalarText: scalarText) }
    }

    /// The scalar's text as written (without quotes); nil for collections.
    public var scalarText: String? {
        get { storage.scalarText }
        set { storage = Storage(value, span: span, scalarText: newValue) }
    }

    public init(_ value: Value, span: SourceSpan, scalarText: String? = nil) {
        storage = Storage(value, span: span, scalarText: scalarText)
    }

    public var entries: [Entry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    public var items: [Node]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The value for `key` in a mapping, if present.
    public subscript(key: String) -> Node? {
        entries?.first { $0.name == key }?.value
    }

    /// How a message names this value's kind: "a string", "a mapping", ...
    public var kindDescription: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .float: "a number"
        case .string: "a string"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

extension Node {
    /// Equal values, wherever they were written: numbers compare by value (`1 == 1.0`),
    /// mappings by their keys regardless of order.
    public func hasSameValue(as other: Node) -> Bool {
        switch (value, other.value) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        case (.float(let a), .float(let b)): return a == b
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.hasSameValue(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && a.allSatisfy { entry in
                b.contains { $0.name == entry.name && $0.value.hasSameValue(as: entry.value) }
            }
        default: return false
        }
    }
}
