import ArgumentParser
import FlowBasics
import FlowEngine
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

            Plain lint never starts Python. With --deep, a spec without errors is also checked \
            against its Python: every `run:` target is found and every parameter of its function \
            must bind (by `with`, by `args`, by name to a visible artifact, or by a default). \
            The sources are read, never run: modules, files and notebooks are parsed, not imported. \
            Each step is checked in its own environment: the python3 on PATH, its python.venv, or \
            its python.requirements environment as built in the store (--store); a step whose \
            environment is not built yet is not checked, with a warning. `run`, `resume` and \
            `plan` make the same check before anything runs.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: "The spec files to check (.yaml, .yml or .json).")
    var specs: [String]

    @Option(help: "Output format: text (for people), json (one array), sarif (SARIF 2.1.0 for code scanning).")
    var format: Format = .text

    @Flag(help: "Also find each step's function and check that its parameters bind, reading the Python sources (nothing runs).")
    var deep = false

    @OptionGroup(title: "With --deep") var store: StoreOption

    func run() throws {
        let checks = try specs.map(SpecCheck.init(path:)).map(checked)
        let findings = checks.flatMap(\.diagnostics)
        switch format {
        case .json: Terminal.write(JSONRenderer.render(findings))
        case .sarif: Terminal.write(SARIFRenderer.render(findings, toolVersion: flowspecVersion))
        case .text: Terminal.write(text(checks))
        }
        if findings.hasErrors { throw CommandFailure.specFailed }
    }

    /// A spec's findings, with `--deep`'s for a spec that has no errors otherwise.
    private struct Checked {
        let loaded: LoadedSpec
        let spec: Spec?
        let diagnostics: [Diagnostic]
        var errorCount: Int { diagnostics.count { $0.severity == .error } }
        var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    }

    private func checked(_ check: SpecCheck) throws -> Checked {
        var diagnostics = check.diagnostics
        if deep, let spec = check.spec, let plan = check.plan() {
            do {
                diagnostics = (diagnostics + (try DeepCheck(plan: plan, spec: spec, store: store.resolved).diagnostics())).sorted()
            } catch {
                Terminal.writeError("error: \(check.loaded.file): lint --deep: \(error.description)\n")
                throw CommandFailure.specFailed
            }
        }
        return Checked(loaded: check.loaded, spec: check.spec, diagnostics: diagnostics)
    }

    private func text(_ checks: [Checked]) -> String {
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
