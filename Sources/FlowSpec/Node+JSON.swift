import FlowBasics

extension Node {
    /// The value as JSON: how literals travel to the worker. An integer too large for `Int` (read
    /// as a float) stays an exact integer, a mapping keeps its key order, and YAML's `.inf`,
    /// `-.inf` and `.nan` stay floats (`JSONWriter` writes them as Python's `json` reads them).
    public var json: JSONValue {
        switch value {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .float(let value): scalarText.flatMap(JSONValue.integer) ?? .double(value)
        case .string(let value): .string(value)
        case .sequence(let items): .array(items.map(\.json))
        case .mapping(let entries): .object(JSONObject(entries.map { ($0.name, $0.value.json) }))
        }
    }
}

extension JSONValue {
    /// JSON text (a `-p NAME=VALUE` of a `json` param) read as a spec's JSON is read, so numbers
    /// and key order come through as written; the first error when it is not one JSON value.
    public init(parsingJSON text: String) throws(Diagnostic) {
        let (root, diagnostics) = JSONReader(file: "-", limits: .standard).read(Array(text.utf8))
        guard let root, !diagnostics.hasErrors else {
            throw diagnostics.first { $0.severity == .error } ?? Diagnostic(.syntaxError, at: .point("-"), "invalid JSON")
        }
        self = root.json
    }
}
