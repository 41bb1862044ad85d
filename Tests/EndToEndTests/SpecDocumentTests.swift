import Foundation
import Testing

/// The specs docs/spec.md itself shows must lint clean: the contract and the linter agree.
@Suite struct SpecDocumentTests {
    /// Every ```yaml block of docs/spec.md that is a whole spec (starts with `flowspec:`).
    static func specBlocks() throws -> [String] {
        let url = repositoryRoot.appendingPathComponent("docs/spec.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap { block in
            let body = block.components(separatedBy: "```").first ?? ""
            return body.hasPrefix("flowspec:") ? body : nil
        }
    }

    @Test func specExamplesLintClean() throws {
        let blocks = try Self.specBlocks()
        #expect(!blocks.isEmpty, "docs/spec.md shows no whole spec")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-specmd-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, block) in blocks.enumerated() {
            let path = folder.appendingPathComponent("spec-md-\(index).yaml").path
            try block.write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = try flowspec(["lint", path])
            #expect(outcome.status == 0, "\(outcome.stdout)")
            #expect(outcome.stdout == "\(path): ok, 4 steps\n")
        }
    }
}
