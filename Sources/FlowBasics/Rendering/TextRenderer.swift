/// Prints findings the way compilers do: `file:line:col: error[FS0203]: message`, the source
/// line with a caret under the problem, then the hint and any notes.
public struct TextRenderer {
    public var color: Bool
    private let sources: [String: SourceText]

    public init(sources: [SourceText], color: Bool) {
        self.sources = Dictionary(sources.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        self.color = color
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = headline(diagnostic.span, label: "\(diagnostic.severity.rawValue)[\(diagnostic.code.id)]",
                           style: style(for: diagnostic.severity), message: diagnostic.message)
        out += excerpt(diagnostic.span)
        if let hint = diagnostic.hint { out += "   " + paint("hint:", .bold) + " \(hint)\n" }
        for note in diagnostic.notes {
            if let span = note.span {
                out += headline(span, label: "note", style: .cyan, message: note.message) + excerpt(span)
            } else {
                out += "   " + paint("note:", .cyan) + " \(note.message)\n"
            }
        }
        return out
    }

    private func headline(_ span: SourceSpan, label: String, style: Style, message: String) -> String {
        let place = "\(span.file):\(span.start.line):\(span.start.column):"
        return paint(place, .bold) + " " + paint(label, style) + ": " + message + "\n"
    }

    /// The line the span starts on and a caret run under the span (to the end of that line).
    private func excerpt(_ span: SourceSpan) -> String {
        guard let source = sources[span.file], let line = source.line(span.start.line),
              !line.allSatisfy(\.isWhitespace) || span.start.column > 1 else { return "" }
        let scalars = Array(line.unicodeScalars).map { $0 == "\t" ? " " : $0 }
        let startIndex = min(span.start.column - 1, scalars.count)
        var endIndex = span.end.line == span.start.line ? span.end.column - 1 : scalars.count
        if span.end.line != span.start.line {
            while endIndex > startIndex, scalars[endIndex - 1] == " " { endIndex -= 1 }
        }
        let width = max(1, min(endIndex, scalars.count) - startIndex)
        let number = String(span.start.line)
        let gutter = String(repeating: " ", count: max(0, 5 - number.count)) + number
        let blank = String(repeating: " ", count: gutter.count + 1) + "|"
        let text = String(String.UnicodeScalarView(scalars))
        let marker = "^" + String(repeating: "~", count: width - 1)
        return "\(gutter) | \(text)\n" + "\(blank) " + String(repeating: " ", count: startIndex) + paint(marker, .green) + "\n"
    }

    private enum Style: String {
        case bold = "1", red = "1;31", yellow = "1;33", cyan = "1;36", green = "1;32"
    }

    private func style(for severity: Severity) -> Style {
        switch severity {
        case .error: .red
        case .warning: .yellow
        case .note: .cyan
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
