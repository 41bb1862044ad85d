extension Double {
    /// `text` read as Python's `float()` reads it: a decimal number (`3`, `-1.5e-3`, `.5`,
    /// `1_000.25`), or `inf`, `infinity` or `nan` in any case, each with an optional sign and
    /// spaces around; nil otherwise (Python's ValueError). Digits are ASCII only.
    public init?(pythonFloat text: some StringProtocol) {
        var body = Substring(text).drop { $0.isWhitespace }
        while body.last?.isWhitespace == true { body = body.dropLast() }
        let negative = body.first == "-"
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let magnitude: Double
        switch body.lowercased() {
        case "inf", "infinity": magnitude = .infinity
        case "nan": magnitude = .nan
        default:
            guard let number = Double.decimal(body) else { return nil }
            magnitude = number
        }
        self = negative ? -magnitude : magnitude
    }

    /// Unsigned decimal digits with an optional fraction and exponent, `_` allowed between two
    /// digits. Swift's own parser, which does the rounding, also takes hexadecimal, `inf` and
    /// `nan`: only the characters of a decimal reach it, after a digit or a point.
    private static func decimal(_ text: Substring) -> Double? {
        let bytes = Array(text.utf8)
        func isDigit(_ offset: Int) -> Bool { bytes.indices.contains(offset) && (0x30...0x39).contains(bytes[offset]) }
        guard isDigit(0) || bytes.first == UInt8(ascii: ".") else { return nil }
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "_"): guard isDigit(offset - 1), isDigit(offset + 1) else { return nil }
            case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): continue
            default: return nil
            }
        }
        return Double(String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self))
    }
}
