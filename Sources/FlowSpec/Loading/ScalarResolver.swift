/// Types a plain YAML scalar by the YAML 1.2 core schema: `null`, booleans, integers
/// (decimal, `0o` octal, `0x` hex) and floats. Everything else, including YAML 1.1's
/// `yes`, `on`, `012` and `1_000`, stays a string.
enum ScalarResolver {
    static func resolve(_ text: String) -> Node.Value {
        // Most scalars are names: their first byte alone says they stay strings, and only a
        // digit, sign or dot can start a number.
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let special = keyword(text) { return special }
            if let integer = integer(text) { return integer }
            if isFloat(text), let value = Double(text) { return .float(value) }
            return .string(text)
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"):
            return keyword(text) ?? .string(text)
        default:
            return .string(text)
        }
    }

    /// The null, boolean and special float words. Grouped by first byte: a switch over all
    /// of them compares a name such as `next` with every word in turn.
    private static func keyword(_ text: String) -> Node.Value? {
        guard text.utf8.count <= 5, let first = text.utf8.first else { return nil }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            return text == "~" || text == "null" || text == "Null" || text == "NULL" ? .null : nil
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            return text == "true" || text == "True" || text == "TRUE" ? .bool(true) : nil
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return text == "false" || text == "False" || text == "FALSE" ? .bool(false) : nil
        case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return specialFloat(text)
        default:
            return nil
        }
    }

    private static func specialFloat(_ text: String) -> Node.Value? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": .float(-.infinity)
        case ".nan", ".NaN", ".NAN": .float(.nan)
        default: nil
        }
    }

    private static func integer(_ text: String) -> Node.Value? {
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
        var digits = Substring(text)
        if let sign = digits.first, sign == "-" || sign == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit) else { return nil }
        // An integer too large for Int is still a number: keep it as a float.
        return Int(text).map(Node.Value.int) ?? Double(text).map(Node.Value.float)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        func skipSign() { if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 } }
        func digits() -> Int {
            let from = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            return i - from
        }
        skipSign()
        var mantissa = digits()
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            skipSign()
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
