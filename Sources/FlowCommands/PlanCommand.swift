import ArgumentParser
import FlowBasics
import FlowEngine
import FlowRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a run would do, without running anything.",
        discussion: """
            A dry run. Checks the spec and the params exactly as `flowspec run` does, then prints \
            the steps in the order they would start, each with its kind (linear, branch, \
            foreach, switch, join, end), the Python environment it would run in, and its \
            resources, concurrency, timeout, retry and cache settings; then every environment \
            with its state:

              ready                      the python3 on PATH, or an existing python.venv
              built                      a python.requirements environment in the store
              not built — will be built  the run builds it first; later runs reuse it
              unusable                   a missing venv, or a Python flowspec cannot embed

            No user code runs and nothing is built or written to the store. Environments are \
            looked up in the store the run would use (--store). As `run` does first, the steps' \
            Python is checked as `lint --deep` checks it (in each environment already there; a \
            step whose environment is not built yet gets a warning); --no-check skips it.

            Examples:
              flowspec plan flow.yaml
              flowspec plan flow.yaml -p top=10 --format json

            Exit status: 0 the run could start, 1 it could not (spec errors, a missing venv, \
            a missing function or a parameter that cannot bind, a Python of another minor version than flowspec was built against), 2 wrong usage \
            (an unknown or malformed param included).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The spec to plan.")
    var spec: String

    @Option(name: [.customShort("p"), .customLong("param")], help: ArgumentHelp(
        "A param value, NAME=VALUE, checked as `run` checks it; repeat for several.", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Do not check the steps' Python (functions exist, parameters bind), as `run` does first.")
    var noCheck = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let launch = try FlowLaunch(specArgument: spec, store: store.resolved, usableEnvironments: false, startsRun: false)
        let values = try launch.paramValues(params)
        var report = PlanReport(launch: launch, specArgument: spec, params: values)
        if !noCheck { report.checkProblems = checkProblems(launch) }
        switch format {
        case .text: Terminal.write(report.text(color: Terminal.wantsColor(fileDescriptor: 1)))
        case .json: Terminal.write(ReadingFormat.json(report.json))
        }
        if !report.problems.isEmpty { throw CommandFailure.specFailed }
    }

    /// The check `run` makes first, in each step's environment as far as it is built: its
    /// diagnostics to stderr, its errors' messages returned.
    private func checkProblems(_ launch: FlowLaunch) -> [String] {
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try DeepCheck(launch: launch).diagnostics().sorted()
        } catch {
            return ["cannot check the steps' Python: \(error.description)"]
        }
        let renderer = TextRenderer(sources: launch.source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(diagnostics))
        return diagnostics.filter { $0.severity == .error }.map(\.message)
    }
}
