import ArgumentParser
import FlowBasics
import FlowSpec

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check specs without running them.",
        discussion: """
            Reports every problem found in one pass: malformed YAML or JSON, unknown keys, wrong \
            types, unknown steps, cycles, unreachable steps, unclosed or crossing splits, and \
            references to artifacts that no earlier step produces. Each finding has a stable code \
            (see the README's table), a file:line:column and, where one helps, a hint.

            Exit status: 0 when no spec has errors (warnings are allowed), 1 when one has, 2 for \
            wrong usage. Use it in CI: `flowspec lint --format sarif flows/*.yaml > lint.sarif`.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: "The spec files to check (.yaml, .yml or .json).")
    var specs: [String]

    @Option(help: "Output format: text (for people), json (one array), sarif (SARIF 2.1.0 for code scanning).")
    var format: Format = .text

    func run() throws {
        let checks = specs.map(SpecCheck.init(path:))
        let findings = checks.flatMap(\.diagnostics)
        switch format {
        case .json: Terminal.write(JSONRenderer.render(findings))
        case .sarif: Terminal.write(SARIFRenderer.render(findings, toolVersion: flowspecVersion))
        case .text: Terminal.write(text(checks))
        }
        if findings.hasErrors { throw CommandFailure.specFailed }
    }

    private func text(_ checks: [SpecCheck]) -> String {
        let renderer = TextRenderer(sources: checks.compactMap(\.loaded.source),
                                    color: Terminal.wantsColor(fileDescriptor: 1))
        return checks.map { check in
            guard !check.diagnostics.isEmpty else {
                return "\(check.loaded.file): ok, \(counted(check.spec?.steps.count ?? 0, "step"))\n"
            }
            var counts = [counted(check.errorCount, "error")]
            if check.warningCount > 0 { counts.append(counted(check.warningCount, "warning")) }
            return renderer.render(check.diagnostics) + "\(check.loaded.file): \(counts.joined(separator: ", "))\n"
        }.joined()
    }
}
