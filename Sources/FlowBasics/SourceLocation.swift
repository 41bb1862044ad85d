/// A 1-based position in a text file: what a diagnostic points at.
public struct SourcePosition: Hashable, Comparable, Sendable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A range of text in one file, start inclusive, end exclusive.
public struct SourceSpan: Hashable, Sendable, Codable {
    public var file: String
    public var start: SourcePosition
    public var end: SourcePosition

    public init(file: String, start: SourcePosition, end: SourcePosition) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// A span covering just one position: for findings about a whole file.
    public static func point(_ file: String, line: Int = 1, column: Int = 1) -> SourceSpan {
        let position = SourcePosition(line: line, column: column)
        return SourceSpan(file: file, start: position, end: position)
    }
}

/// A value together with the span of text it was read from.
public struct Located<Value> {
    public var value: Value
    public var span: SourceSpan

    public init(_ value: Value, at span: SourceSpan) {
        self.value = value
        self.span = span
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
