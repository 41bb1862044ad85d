/// A JSON value: literals from `with:`, param values, switch case keys. It keeps what Python
/// will see: a number written with a fraction or exponent is a float (`2.0`, `-0.0`), one without
/// is an integer of any size, and an object keeps its keys in the order written, so the same
/// value always pickles to the same bytes.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// An integer outside `Int`'s range, as its decimal digits (`-` first when negative).
    case bigInt(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// `.int`, or `.bigInt` when `digits` (an optional `-`, then decimal digits) do not fit in an
    /// `Int`; nil when they are not an integer.
    public static func integer(_ digits: some StringProtocol) -> JSONValue? {
        if let value = Int(digits) { return .int(value) }
        let unsigned = digits.hasPrefix("-") ? digits.dropFirst() : digits[...]
        guard !unsigned.isEmpty, unsigned.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return .bigInt(String(digits))
    }

    /// An object of a dictionary's members, sorted by key (for reports, whose keys are sorted).
    public static func object(_ members: [String: JSONValue]) -> JSONValue { .object(JSONObject(sorting: members)) }
}

/// A JSON object's members in the order they were written. Equality ignores the order, as
/// Python's `dict` equality does.
public struct JSONObject: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The keys in order.
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    /// The members in the given order; a repeated key keeps its first value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        for (key, value) in members where values[key] == nil { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    /// A dictionary's members sorted by key: an order that does not hang on hashing.
    public init(sorting dictionary: [String: JSONValue]) {
        self.init(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    public var count: Int { keys.count }

    /// A member's value; setting a new key appends it, setting nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if newValue == nil {
                keys.removeAll { $0 == key }
            } else if values[key] == nil {
                keys.append(key)
            }
            values[key] = newValue
        }
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        keys.lazy.map { (key: $0, value: values[$0]!) }.makeIterator()
    }

    public static func == (left: JSONObject, right: JSONObject) -> Bool { left.values == right.values }

    public func hash(into hasher: inout Hasher) { hasher.combine(values) }
}

/// Codable, for records and reports. Decoding sees neither a number's text nor the order of
/// keys: read JSON text that reaches Python with the spec's JSON reader instead. JSONEncoder has
/// no exact form for a `bigInt`, which it writes as a string.
extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(JSONObject(sorting: try container.decode([String: JSONValue].self)))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bigInt(let digits): try container.encode(digits)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(Dictionary(uniqueKeysWithValues: value.map { ($0.key, $0.value) }))
        }
    }
}
