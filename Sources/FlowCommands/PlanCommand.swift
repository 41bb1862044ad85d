import ArgumentParser
import FlowBasics
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
              built                      a python.requirements environment already in the store
              not built — will be built  the run builds it first (once; later runs reuse it)
              unusable                   a venv that is missing, or a Python flowspec cannot embed

            No user code runs and nothing is built or written to the store. Environments are \
            looked up in the store the run would use (--store).

            Examples:
              flowspec plan flow.yaml
              flowspec plan flow.yaml -p top=10 --format json

            Exit status: 0 the run could start, 1 it could not (spec errors, a missing venv, \
            a Python of another minor version than flowspec was built against), 2 wrong usage \
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

    @OptionGroup var store: StoreOption

    func run() throws {
        let launch = try FlowLaunch(specArgument: spec, store: store.resolved, usableEnvironments: false)
        let values = try launch.paramValues(params)
        let report = PlanReport(launch: launch, specArgument: spec, params: values)
        switch format {
        case .text: Terminal.write(report.text(color: Terminal.wantsColor(fileDescriptor: 1)))
        case .json: Terminal.write(ReadingFormat.json(report.json))
        }
        if !report.problems.isEmpty { throw CommandFailure.specFailed }
    }
}
