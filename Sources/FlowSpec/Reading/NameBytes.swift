/// `Identifier`'s name rules, for parsers that already hold a text's UTF-8 bytes: checking
/// bytes in place costs a fraction of the generic checks, which split dotted names into arrays.
enum NameBytes {
    /// `[A-Za-z_]`: a byte that may start a name.
    static func isHead(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// `[A-Za-z0-9_]`: a byte that may continue a name.
    static func isTail(_ byte: UInt8) -> Bool {
        isHead(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether `bytes` are one name: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isIdentifier(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first, isHead(first) else { return false }
        return bytes.allSatisfy(isTail)
    }

    /// Whether `text` is one name, checked on its contiguous UTF-8 bytes.
    static func isIdentifier(_ text: String) -> Bool {
        var contiguous = text
        return contiguous.withUTF8 { isIdentifier($0) }
    }

    /// Whether `bytes` are names joined by single dots: `package.module`, `Class.method`.
    static func isDotted(_ bytes: some Sequence<UInt8>) -> Bool {
        var startsName = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if startsName { return false }
                startsName = true
            } else {
                guard startsName ? isHead(byte) : isTail(byte) else { return false }
                startsName = false
            }
        }
        return !startsName
    }
}
