import Foundation
import Testing

/// Every command's help, as `flowspec help X` and `flowspec X --help` print it.
@Suite struct HelpTextTests {
    static let commands = ["run", "resume", "plan", "lint", "show", "schema", "runs", "inspect", "logs", "get", "tag", "params", "code", "gc", "report", "ui", "worker"]

    @Test(arguments: commands)
    func helpReadsCleanly(command: String) throws {
        let help = try flowspec(["help", command])
        #expect(help.status == 0, "\(help.stderr)")
        #expect(try flowspec([command, "--help"]).stdout == help.stdout)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines where !line.hasPrefix(" ") {
            // A run of spaces inside a paragraph is a source line's indentation leaking through.
            #expect(!line.trimmingCharacters(in: .whitespaces).contains("   "), "leaked indentation: \(line)")
        }
        let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
        for (line, next) in zip(discussion, discussion.dropFirst()) where line.hasPrefix("  ") {
            // An indented row (a table, an example) followed by unindented text was wrapped.
            #expect(next.isEmpty || next.hasPrefix("  "), "wrapped row: \(line) / \(next)")
        }
        for option in Self.optionBlocks(lines) {
            #expect(option.components(separatedBy: "(default:").count <= 2, "default given twice: \(option)")
        }
    }

    /// Each argument's or option's help, its wrapped lines joined.
    private static func optionBlocks(_ lines: [String]) -> [String] {
        var blocks: [String] = []
        for line in lines.drop(while: { !$0.hasPrefix("USAGE:") }) {
            if line.hasPrefix("  ") && !line.hasPrefix("   ") {
                blocks.append(line)
            } else if line.hasPrefix("   "), !blocks.isEmpty {
                blocks[blocks.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return blocks
    }
}
