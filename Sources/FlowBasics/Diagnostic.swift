/// How bad a finding is. Errors make `lint` exit 1; warnings do not.
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary message attached to a finding, optionally at its own place.
public struct DiagnosticNote: Hashable, Sendable, Codable {
    public var message: String
    public var span: SourceSpan?

    public init(_ message: String, at span: SourceSpan? = nil) {
        self.message = message
        self.span = span
    }
}

/// One finding about a spec: a stable code, where it is, what is wrong and how to fix it.
/// Thrown by readers of text that is not a spec (a `-p` value) to say what is wrong with it.
public struct Diagnostic: Hashable, Sendable, Error {
    public var code: DiagnosticCode
    public var severity: Severity
    public var span: SourceSpan
    public var message: String
    public var hint: String?
    public var notes: [DiagnosticNote]

    public init(
        _ code: DiagnosticCode, at span: SourceSpan, _ message: String,
        hint: String? = nil, notes: [DiagnosticNote] = [], severity: Severity? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.severity
        self.span = span
        self.message = message
        self.hint = hint
        self.notes = notes
    }
}

extension Diagnostic: Comparable {
    /// Findings sort by file, then position, then code, so output is stable.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.span.file, a.span.start.line, a.span.start.column, a.code.id, a.message)
            < (b.span.file, b.span.start.line, b.span.start.column, b.code.id, b.message)
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
