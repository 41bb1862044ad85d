import ArgumentParser
import FlowBasics
import FlowRuntime
import FlowSpec
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a flow.",
        discussion: """
            Checks the spec and then the steps' Python (as `flowspec lint --deep` does, in each \
            step's environment: a missing function or a parameter that cannot bind stops the run \
            before anything runs or is stored; --no-check skips it), stores the params, then runs every step's \
            Python function in warm worker processes of its environment (the `python3` on your \
            PATH, a `python.venv`, or an environment built once in the store for its \
            `python.requirements`, before the run starts), keeping every value the steps return \
            in the store. `flowspec plan` shows what a run would build and use. Prints the \
            run's id first (FLOW/ID), live progress on a terminal, and a summary. What a task \
            prints (stdout, stderr, logging, C code, subprocesses) is shown as it prints it, each \
            line prefixed with its task, e.g. `[per_genre[3]] …`; --raw drops the prefix, --quiet \
            the output (it is stored either way: `flowspec logs`). Off a terminal, a line of \
            counts comes whenever nothing else was printed for 10 s. A run that fails or is stopped \
            ends with the `flowspec resume` command that continues it.

            Examples:
              flowspec run flow.yaml
              flowspec run flow.yaml -p top=10 -p genre=Drama --tag nightly
              flowspec run flow.yaml --max-workers 8 --store /data/flowspec
              flowspec run flow.yaml --max-cpu 16 --max-memory 64G

            A task holds its step's resources (cpu, memory) while it runs; the tasks running \
            at once hold at most --max-cpu and --max-memory (default: this machine's cores and \
            memory), and at most `concurrency` of one step. A task without resources counts as \
            1 cpu.

            Exit status: 0 the run completed, 1 the spec or a task failed, 2 wrong usage (an \
            unknown or malformed param included).
            """)

    @Argument(help: "The spec to run.")
    var spec: String

    @Option(name: [.customShort("p"), .customLong("param")], help: ArgumentHelp(
        "A param value, NAME=VALUE; repeat for several. Params without one take their default.", valueName: "name=value"))
    var params: [String] = []

    @OptionGroup var options: RunOptions

    @OptionGroup var store: StoreOption

    func run() throws {
        var launch = try FlowLaunch(specArgument: spec, store: store.resolved)
        let values = try launch.paramValues(params)
        try launch.buildEnvironments()
        try options.run(launch, .params(values), store: store)
    }
}
