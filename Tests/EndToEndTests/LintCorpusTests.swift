import Foundation
import Testing

/// The spec corpus through the built binary: every valid spec lints clean, every invalid
/// spec fails with exactly its golden output.
@Suite struct LintCorpusTests {
    /// The valid corpus and every example flow.
    static let validSpecs = repositoryFiles(in: "specs/valid", extensions: ["yaml", "yml", "json"])
        + exampleFolders.flatMap { repositoryFiles(in: $0, extensions: ["yaml", "yml", "json"]) }
    static let exampleFolders = ((try? FileManager.default.contentsOfDirectory(
        atPath: repositoryRoot.appendingPathComponent("examples").path)) ?? []).sorted().map { "examples/\($0)" }
    static let invalidSpecs = repositoryFiles(in: "specs/invalid", extensions: ["yaml", "yml", "json", "flow"])

    @Test func theCorpusIsThere() {
        #expect(Self.validSpecs.count >= 10)
        #expect(Self.invalidSpecs.count >= 50)
    }

    @Test(arguments: validSpecs)
    func validSpecLintsClean(path: String) throws {
        let outcome = try flowspec(["lint", path])
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.hasPrefix("\(path): ok, "), "\(outcome.stdout)")
        #expect(outcome.stderr.isEmpty)
    }

    @Test(arguments: invalidSpecs)
    func invalidSpecFailsWithItsGoldenOutput(path: String) throws {
        let outcome = try flowspec(["lint", path])
        #expect(outcome.status == 1)
        // Each invalid spec is named after the code it exists to show.
        let code = String(path.split(separator: "/").last!.prefix(6))
        #expect(outcome.stdout.contains("[\(code)]"), "\(path) does not report \(code)")
        try expectGolden(outcome.stdout, at: goldenPath(for: path))
    }

    /// Codes plain `lint` of a committed file cannot show: an unreadable file and one over the
    /// size bound (LintCommandTests makes both), and the findings of `lint --deep`
    /// (DeepLintTests, NotebookLoadingTests, StepEnvironmentCheckTests).
    static let shownByLintCommandTests = ["FS0001", "FS0002", "FS0401", "FS0402", "FS0403", "FS0404", "FS0405", "FS0406"]

    @Test func everyCodeHasAnInvalidSpec() {
        let shown = Set(Self.invalidSpecs.map { String($0.split(separator: "/").last!.prefix(6)) })
        #expect(allCodes.count > 50)
        let missing = allCodes.filter { !shown.contains($0) && !Self.shownByLintCommandTests.contains($0) }
        #expect(missing.isEmpty, "codes without a spec in specs/invalid: \(missing)")
    }

    private func goldenPath(for spec: String) -> String {
        let base = spec.hasSuffix(".json") ? String(spec.dropLast(5)) : String(spec[..<spec.lastIndex(of: ".")!])
        return base + ".lint.txt"
    }
}

/// Every diagnostic code, as the rules of `flowspec lint --format sarif` list them.
let allCodes: [String] = {
    guard let outcome = try? flowspec(["lint", "--format", "sarif", "specs/valid/linear.yaml"]),
          let data = outcome.stdout.data(using: .utf8),
          let log = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let runs = log["runs"] as? [[String: Any]],
          let tool = runs.first?["tool"] as? [String: Any],
          let driver = tool["driver"] as? [String: Any],
          let rules = driver["rules"] as? [[String: Any]] else { return [] }
    return rules.compactMap { $0["id"] as? String }
}()
