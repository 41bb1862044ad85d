/// How every command and the Python client (`flowspec/client/_label.py`) name one task of a
/// step: its foreach positions, outermost first, joined by dots (`3`, `2.1.0`), then, for a step
/// inside a switch loop, `#K`, its pass through the loop counted from 0 (`#2`, and `3#1` inside a
/// foreach). A step in neither has one task, whose label is empty. As a path: `per_genre/3`,
/// `train/#2`, `start`.
public struct TaskLabel: Hashable, Sendable, CustomStringConvertible {
    /// Foreach positions, outermost first; empty outside any foreach.
    public let positions: [Int]
    /// The pass through the loop, from 0; nil for a step in no loop (or, parsed, not written).
    public let pass: Int?

    public init(positions: [Int], pass: Int?) {
        self.positions = positions
        self.pass = pass
    }

    public var description: String {
        positions.map(String.init).joined(separator: ".") + (pass.map { "#\($0)" } ?? "")
    }

    /// `STEP/LABEL`, or the step alone when the label is empty.
    public func path(step: String) -> String {
        positions.isEmpty && pass == nil ? step : step + "/" + description
    }

    /// Reads a label as written after `STEP/`: nil unless it is positions, `#K`, or both.
    public init?(parsing text: String) {
        let pieces = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let positions = pieces[0].isEmpty ? [] : pieces[0].split(separator: ".", omittingEmptySubsequences: false).map { Self.number($0) }
        let pass = pieces.count == 2 ? Self.number(pieces[1]) : nil
        guard !text.isEmpty, !positions.contains(nil), pieces.count == 1 || pass != nil else { return nil }
        self.init(positions: positions.compactMap { $0 }, pass: pass)
    }

    /// A count from 0 written in decimal digits only (no sign, no spaces).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}
