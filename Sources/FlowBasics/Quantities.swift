/// A length of time written `<number><ms|s|m|h|d>`, such as `100ms`, `90s` or `1.5h`.
public struct Duration: Hashable, Sendable {
    public let seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    /// Parses `100ms`, `90s`, `10m`, `2h`, `1d`; nil for anything else (a unit is required).
    public init?(parsing text: String) {
        guard let (unit, scale) = Self.units.first(where: { text.hasSuffix($0.unit) }) else { return nil }
        let digits = text.dropLast(unit.count)
        guard let number = Double(digits), number.isFinite, number >= 0,
              digits.allSatisfy({ $0.isNumber || $0 == "." })
        else { return nil }
        seconds = number * scale
    }

    /// `ms` before `s`, which it ends with.
    private static let units: [(unit: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
}

/// An amount of memory written `<number>[K|M|G|T]` in binary units; a bare number is MB.
public struct MemorySize: Hashable, Sendable {
    public let bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// Parses `512`, `512M`, `4G`, `1.5T`; nil for anything else.
    public init?(parsing text: String) {
        var digits = Substring(text)
        var scale: Double = 1_048_576
        if let unit = text.last, let unitScale = Self.units[unit] {
            digits = digits.dropLast()
            scale = unitScale
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }),
              let number = Double(digits), number.isFinite, number * scale < 9e18
        else { return nil }
        bytes = Int64(number * scale)
    }

    private static let units: [Character: Double] = [
        "K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776,
    ]
}

extension MemorySize: CustomStringConvertible {
    /// In the largest unit that leaves at least 1, to one decimal: `512M`, `4G`, `7.7G`.
    public var description: String {
        let units: [(String, Double)] = [("T", 1_099_511_627_776), ("G", 1_073_741_824), ("M", 1_048_576), ("K", 1024)]
        guard let (unit, scale) = units.first(where: { Double(bytes) >= $0.1 }) else { return "\(bytes) bytes" }
        let tenths = (Double(bytes) / scale * 10).rounded()
        let text = tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int64(tenths / 10)) : String(tenths / 10)
        return text + unit
    }
}

/// Names of flows, steps, params and artifacts: `[A-Za-z_][A-Za-z0-9_]*`.
public enum Identifier {
    @inlinable
    public static func isValid(_ text: some StringProtocol) -> Bool {
        guard let first = text.utf8.first, isHead(first) else { return false }
        return text.utf8.allSatisfy { isHead($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    @usableFromInline
    static func isHead(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) || c == UInt8(ascii: "_")
    }
}
