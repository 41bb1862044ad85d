/// How times, durations, sizes and counts read to a person, one way everywhere: the reading
/// commands and the UI's pages and reports. Nothing here depends on the time zone or the locale;
/// the local time of the reading commands is theirs.
public enum DisplayFormat {
    /// `0.42s`, `12.3s`, `3m05s`, `2h07m`.
    public static func duration(seconds: Double) -> String {
        if seconds < 10 { return fixed(seconds, digits: 2) + "s" }
        if seconds < 60 { return fixed(seconds, digits: 1) + "s" }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60)m\(twoDigits(whole % 60))s" }
        return "\(whole / 3600)h\(twoDigits((whole % 3600) / 60))m"
    }

    /// The same, of a count of milliseconds (a negative one is 0).
    public static func duration(milliseconds: Int64) -> String {
        duration(seconds: Double(max(0, milliseconds)) / 1000)
    }

    /// `812 B`, `4.2 KiB`, `1.3 MiB`.
    public static func size(_ bytes: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return fixed(value, digits: 1) + " " + units[unit]
    }

    /// `value` (not negative) rounded to `digits` decimals: `fixed(1.5, digits: 2)` is `1.50`.
    public static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let fraction = String(scaled % scale + scale).dropFirst()
        return "\(scaled / scale)" + (digits > 0 ? "." + fraction : "")
    }

    /// `2026-11-21 23:35:41 UTC`, of milliseconds since 1970: a page reads the same wherever
    /// it is opened.
    public static func utcTime(_ milliseconds: Int64) -> String {
        let days = Int(floorDivision(milliseconds, 86_400_000))
        let seconds = Int((milliseconds - Int64(days) * 86_400_000) / 1000)
        let (year, month, day) = civil(days: days)
        return "\(year)-\(twoDigits(month))-\(twoDigits(day)) \(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60)) UTC"
    }

    /// A count with thousands separated: `10,000`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    private static func civil(days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
