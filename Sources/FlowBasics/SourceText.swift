/// The text of a file that diagnostics point into, for excerpts under them.
public struct SourceText: Sendable {
    public let file: String
    private let text: String
    /// Where each line starts, found by one pass over the UTF-8 bytes.
    private let lineStarts: [String.Index]

    public init(file: String, text: String) {
        self.file = file
        self.text = text
        var starts = [text.startIndex]
        let utf8 = text.utf8
        var index = utf8.startIndex
        while let newline = utf8[index...].firstIndex(of: UInt8(ascii: "\n")) {
            index = utf8.index(after: newline)
            starts.append(index)
        }
        lineStarts = starts
    }

    /// The 1-based line without its line break, if the file has it.
    public func line(_ number: Int) -> Substring? {
        guard lineStarts.indices.contains(number - 1) else { return nil }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? text.utf8.index(before: lineStarts[number]) : text.endIndex
        let line = text[start..<end]
        return line.hasSuffix("\r") ? line.dropLast() : line
    }
}
