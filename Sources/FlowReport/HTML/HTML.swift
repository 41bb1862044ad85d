/// Markup that is safe to put in a page. Text enters only through interpolation, which escapes
/// it: `"<td>\(name)</td>"` as an `HTML` escapes `name`, while an interpolated `HTML` is kept as
/// it is. So everything user-controlled (names, reprs, logs, tracebacks, tags) is escaped in
/// one place, and a view cannot forget to.
public struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var markup: String

    public init(stringLiteral literal: String) { markup = literal }

    public init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Markup made elsewhere and known to be safe (an escaped fragment, a data URI).
    init(trusted markup: String) { self.markup = markup }

    public static let empty = HTML(trusted: "")

    public var description: String { markup }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.markup + b.markup) }

    public struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { markup += literal }

        /// Text, escaped for an element's content and for a double-quoted attribute alike.
        public mutating func appendInterpolation(_ text: String) { HTML.escape(text, into: &markup) }

        public mutating func appendInterpolation(_ text: String?) { if let text { HTML.escape(text, into: &markup) } }

        public mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }

        public mutating func appendInterpolation(_ number: Int) { markup += String(number) }

        public mutating func appendInterpolation(_ number: Double) { markup += HTML.number(number) }
    }

    /// The five characters that can end text or an attribute, as entities. Control characters
    /// other than tab, newline and carriage return are shown as U+FFFD: they are not allowed in
    /// HTML, and a NUL could cut a string in a browser's parser.
    static func escape(_ text: String, into markup: inout String) {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            markup += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": markup += "&amp;"
            case "<": markup += "&lt;"
            case ">": markup += "&gt;"
            case "\"": markup += "&quot;"
            case "'": markup += "&#39;"
            case "\t", "\n", "\r": markup.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: markup += "\u{FFFD}"
            default: markup.unicodeScalars.append(scalar)
            }
        }
    }

    public static func escaped(_ text: String) -> String {
        var markup = ""
        escape(text, into: &markup)
        return markup
    }

    /// A coordinate for SVG: at most two decimals, no exponent.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }

    /// Joins fragments with a separator.
    static func joined(_ parts: [HTML], separator: HTML = .empty) -> HTML {
        HTML(trusted: parts.map(\.markup).joined(separator: separator.markup))
    }
}
