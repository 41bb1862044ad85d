/// Writes JSON text straight into bytes, keeping what a `JSONValue` holds (a float's fraction,
/// an integer's every digit, the order of keys). JSON has no infinities or NaN: they are written
/// `Infinity`, `-Infinity` and `NaN`, as Python's `json` module writes and reads them. A task request goes to a worker for every task,
/// and Foundation's `JSONEncoder` spent ~250k instructions on each (a quarter of the scheduler's
/// time per task, measured with callgrind); this writes the same JSON for a tenth of that.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// `{"key": value, …}`, the members written by `body` with `member`.
    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "{"))
        try body(&self)
        if bytes.last == UInt8(ascii: ",") { bytes.removeLast() }
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func member(_ key: String, _ value: (inout JSONWriter) throws -> Void) rethrows {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        try value(&self)
        bytes.append(UInt8(ascii: ","))
    }

    public mutating func array<C: Collection>(_ items: C, _ item: (inout JSONWriter, C.Element) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "["))
        for (offset, element) in items.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            try item(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func dictionary<V>(_ values: [String: V], _ value: (inout JSONWriter, V) throws -> Void) rethrows {
        try object { json in
            for (key, element) in values { try json.member(key) { try value(&$0, element) } }
        }
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Always with a fraction or an exponent (`2.0`, `-0.0`, `1e-05`), so Python reads a float;
    /// `Infinity`, `-Infinity` or `NaN` when it is not finite.
    public mutating func double(_ value: Double) {
        if value.isNaN {
            raw("NaN")
        } else if value.isInfinite {
            value < 0 ? raw("-Infinity") : raw("Infinity")
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        defer { bytes.append(UInt8(ascii: "\"")) }
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [digits[Int(byte >> 4)], digits[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int(let number): int(number)
        case .bigInt(let digits): bytes.append(contentsOf: digits.utf8)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let items): array(items) { $0.value($1) }
        case .object(let members):
            object { json in
                for (key, element) in members { json.member(key) { $0.value(element) } }
            }
        }
    }

    /// `value` laid out for people, as JSONEncoder's `.prettyPrinted` lays it out: a member or
    /// an item a line, indented two spaces a level, `"key" : value`.
    public mutating func pretty(_ value: JSONValue, depth: Int = 0) {
        let indent = [UInt8](repeating: UInt8(ascii: " "), count: 2 * depth)
        func block<C: Collection>(_ open: StaticString, _ close: StaticString, _ items: C,
                                  _ item: (inout JSONWriter, C.Element) -> Void) {
            raw(open)
            for (offset, element) in items.enumerated() {
                raw(offset == 0 ? "\n" : ",\n")
                bytes.append(contentsOf: indent + [UInt8(ascii: " "), UInt8(ascii: " ")])
                item(&self, element)
            }
            bytes.append(UInt8(ascii: "\n"))
            bytes.append(contentsOf: indent)
            raw(close)
        }
        switch value {
        case .array(let items) where !items.isEmpty:
            block("[", "]", items) { $0.pretty($1, depth: depth + 1) }
        case .object(let members) where members.count > 0:
            block("{", "}", Array(members)) { json, member in
                json.string(member.key)
                json.raw(" : ")
                json.pretty(member.value, depth: depth + 1)
            }
        default: self.value(value)
        }
    }
}

extension JSONValue {
    /// Compact JSON text, as `JSONWriter` writes it.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 64)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
