import Foundation
import Testing

/// Compares `actual` with the golden file at `path` (relative to the repository root) and
/// shows a line diff when they differ. With FLOWSPEC_RECORD=1 it writes the file instead, and
/// fails all the same: a recorded golden passes only once it has been reviewed and run again.
func expectGolden(_ actual: String, at path: String, in root: URL = repositoryRoot,
                  recording: Bool = ProcessInfo.processInfo.environment["FLOWSPEC_RECORD"] == "1",
                  sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = root.appendingPathComponent(path)
    if recording {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("re-recorded \(path): review the diff and run again without FLOWSPEC_RECORD",
                     sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(path); record it with FLOWSPEC_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("\(path) differs (re-record with FLOWSPEC_RECORD=1):\n\(lineDiff(expected: expected, actual: actual))",
                     sourceLocation: sourceLocation)
    }
}

/// A minimal line diff: `-` lines only in `expected`, `+` lines only in `actual`, from the first difference.
func lineDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    // Longest common subsequence table, fine for golden files of a few hundred lines.
    var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
        for j in stride(from: new.count - 1, through: 0, by: -1) {
            table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
        }
    }
    var lines: [String] = []
    var i = 0, j = 0
    while i < old.count || j < new.count {
        if i < old.count, j < new.count, old[i] == new[j] {
            lines.append("  \(old[i])"); i += 1; j += 1
        } else if j < new.count, i == old.count || table[i][j + 1] >= table[i + 1][j] {
            lines.append("+ \(new[j])"); j += 1
        } else {
            lines.append("- \(old[i])"); i += 1
        }
    }
    return lines.joined(separator: "\n")
}
