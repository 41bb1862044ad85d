import FlowBasics

extension Node {
    /// The value as JSON: how literals travel to the worker. Non-finite floats have no JSON
    /// form and become null.
    public var json: JSONValue {
        switch value {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .float(let value): value.isFinite ? .double(value) : .null
        case .string(let value): .string(value)
        case .sequence(let items): .array(items.map(\.json))
        case .mapping(let entries): .object(Dictionary(entries.map { ($0.name, $0.value.json) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}
