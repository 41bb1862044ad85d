/// The text of a file that diagnostics point into, for excerpts under them.
public struct SourceText: Sendable {
    public let file: String
    private let text: String
    /// Where each line starts, found by one pass over the UTF-8 bytes.
    private let lineStarts: [String.Index]

    public init(file: String, text: String) {
        self.file = file
        self.text = text
        var offsets = [0]
        var copy = text
        copy.withUTF8 { bytes in
            for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
                offsets.append(offset + 1)
            }
        }
        let utf8 = text.utf8
        lineStarts = offsets.map { utf8.index(utf8.startIndex, offsetBy: $0) }
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
