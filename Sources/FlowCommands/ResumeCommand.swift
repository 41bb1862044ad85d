import ArgumentParser
import FlowBasics
import FlowEngine
import FlowRuntime
import FlowStore

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run a flow again, reusing what an earlier run finished.",
        discussion: """
            Starts a new run of SPEC that takes every task RUN completed (matched by step and \
            foreach position) instead of running it, and runs the rest: the tasks that failed or \
            never ran, and everything downstream of them. It uses RUN's params. --from STEP runs \
            STEP and everything after it again even where RUN completed them. RUN defaults to the \
            flow's latest run. The new run records the one it resumed, and has its user tags \
            (and any --tag given).

            Examples:
              flowspec resume flow.yaml
              flowspec resume flow.yaml MyFlow/20261121-221530-a1b2 --from train

            Exit status: as for `flowspec run`.
            """)

    @Argument(help: "The spec to run.")
    var spec: String

    @Argument(help: "The run to resume: FLOW/ID, an id, a unique prefix or latest.")
    var origin: String = "latest"

    @Option(name: .customLong("from"), help: ArgumentHelp("Run this step and everything after it again.", valueName: "step"))
    var fromStep: String?

    @OptionGroup var options: RunOptions

    @OptionGroup var store: StoreOption

    func run() throws {
        var launch = try FlowLaunch(specArgument: spec, store: store.resolved)
        if let fromStep, launch.plan[fromStep] == nil {
            let hint = NearestNames.hint(for: fromStep, among: launch.plan.order) ?? "its steps are \(quotedList(launch.plan.order))"
            Terminal.writeError("error: flow '\(launch.plan.flowName)' has no step '\(fromStep)'; \(hint)\n")
            throw CommandFailure.usage
        }
        let resumed: ResumePlan
        var options = self.options
        do {
            let reader = try StoreReader(path: store.resolved)
            let record = try reader.run(origin, flow: launch.plan.flowName)
            resumed = try ResumePlan(reader: reader, run: record, plan: launch.plan, from: fromStep)
            options.tags = RunTags.user(record.tags) + options.tags
        } catch {
            Terminal.writeError("error: cannot resume: \(error)\n")
            throw CommandFailure.specFailed
        }
        try launch.buildEnvironments()
        try options.run(launch, .resume(resumed), store: store)
    }
}
