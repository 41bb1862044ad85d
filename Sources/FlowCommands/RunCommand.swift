import ArgumentParser
import FlowBasics
import FlowGraph
import FlowRuntime
import Dispatch
import FlowSpec
#if canImport(Glibc)
import Glibc
#endif
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
            Checks the spec (as `flowspec lint` does), stores the params, then runs every step's \
            Python function in warm worker processes of the `python3` on your PATH (or the \
            flow's `python.venv`), keeping every value the steps return in the store. Prints the \
            run's id first (FLOW/ID), live progress on a terminal, and a summary. What a task \
            prints (stdout, stderr, logging) is shown when it ends, each line prefixed with its \
            task, e.g. `per_genre[3] | …`; --raw drops the prefix, --quiet the output.

            Examples:
              flowspec run flow.yaml
              flowspec run flow.yaml -p top=10 -p genre=Drama --tag nightly
              flowspec run flow.yaml --max-workers 8 --store /data/flowspec

            Exit status: 0 the run completed, 1 the spec or a task failed, 2 wrong usage (an \
            unknown or malformed param included).
            """)

    @Argument(help: "The spec to run.")
    var spec: String

    @Option(name: [.customShort("p"), .customLong("param")], help: ArgumentHelp(
        "A param value, NAME=VALUE; repeat for several. Params without one take their default.", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "How many tasks run at once (default: the number of cores).")
    var maxWorkers: Int?

    @Option(help: "The most tasks one foreach may fan out to.")
    var maxSplits = 100_000

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag recorded with the run; repeat for several.", valueName: "tag"))
    var tags: [String] = []

    @Flag(name: .shortAndLong, help: "Do not show what tasks print (it is still stored: see the task's attempts).")
    var quiet = false

    @Flag(help: "Show what tasks print as printed, without the task prefix (for JSON logs).")
    var raw = false

    @Option(help: "Where tasks run: local (warm workers on this machine).")
    var executor = "local"

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard executor == "local" else {
            throw ValidationError("--executor \(executor) is not available; this build runs flows with --executor local")
        }
        if quiet && raw { throw ValidationError("--quiet and --raw exclude each other") }
        if let maxWorkers, maxWorkers < 1 { throw ValidationError("--max-workers must be at least 1") }
        guard maxSplits >= 1 else { throw ValidationError("--max-splits must be at least 1") }
    }

    func run() throws {
        let check = SpecCheck(path: spec)
        let renderer = TextRenderer(sources: check.loaded.source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(check.diagnostics))
        guard let parsed = check.spec, !check.diagnostics.hasErrors, let plan = ExecutionPlan(spec: parsed) else {
            Terminal.writeError("\(spec): \(counted(check.errorCount, "error")); nothing ran\n")
            throw CommandFailure.specFailed
        }
        for warning in UnappliedSettings.warnings(for: parsed) { Terminal.writeError(warning + "\n") }
        let specPath = URL(fileURLWithPath: spec, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardized.path
        let specFolder = URL(fileURLWithPath: specPath).deletingLastPathComponent().path
        let values: [String: ParamInput]
        do {
            values = try ParamValues(spec: parsed, specFolder: specFolder, workingFolder: FileManager.default.currentDirectoryPath).resolve(params)
        } catch {
            Terminal.writeError("error: \(error.description)\n")
            throw CommandFailure.usage
        }
        let python: PythonEnvironment
        do {
            python = try PythonEnvironment.discover(executable: try interpreter(parsed, specFolder: specFolder))
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw CommandFailure.specFailed
        }
        let session = RunSession(
            specPath: specPath, spec: parsed, plan: plan, params: values, python: python, storePath: store.resolved,
            maxWorkers: maxWorkers ?? ProcessInfo.processInfo.activeProcessorCount, maxSplits: maxSplits, tags: tags,
            live: Terminal.wantsColor(fileDescriptor: 2), echo: quiet ? .quiet : (raw ? .raw : .prefixed),
            interruption: interruption)
        let stopOnCtrlC = Self.stopOnCtrlC(interruption)
        let status = blocking { await session.execute() }
        stopOnCtrlC.cancel()
        if status != 0 { throw CommandFailure(status: status) }
    }

    private var interruption: Interruption { Self.interruption }
    private static let interruption = Interruption()

    /// The first Ctrl-C stops the run gracefully (workers stopped, the run recorded as
    /// interrupted, exit 130); a second one exits at once.
    private static func stopOnCtrlC(_ interruption: Interruption) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if interruption.request() == 1 {
                Terminal.writeError("\nstopping: the running tasks are stopped and the run is kept as interrupted (Ctrl-C again to quit at once)\n")
            } else {
                _exit(130)
            }
        }
        source.resume()
        return source
    }

    /// The flow's interpreter: its `python.venv`'s, else the `python3` on PATH. Per-step
    /// environments are refused rather than silently ignored.
    private func interpreter(_ spec: Spec, specFolder: String) throws -> String {
        let stepPython = spec.steps.compactMap(\.settings.python) + [spec.defaults.python].compactMap { $0 }
        if stepPython.contains(where: { $0.venv != nil || $0.requirements != nil }) || spec.python?.requirements != nil {
            throw ValidationError("python.requirements and per-step python.venv are not supported by this build yet; use a flow-level python.venv")
        }
        guard let venv = spec.python?.venv?.value else { return "python3" }
        let folder = venv.hasPrefix("/") ? venv : URL(fileURLWithPath: specFolder).appendingPathComponent(venv).path
        return folder + "/bin/python3"
    }
}
