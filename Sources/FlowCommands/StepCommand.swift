import ArgumentParser
import FlowBasics
import FlowEngine
import FlowRuntime
import FlowStore
import LocalExecution
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Run one step's current function on the inputs a task of an earlier run had; record no run.",
        discussion: """
            Metaflow's `spin`: for trying an edit to one step without running the flow. The \
            step's function as the spec and its file say now is called once, in the step's \
            environment, with the inputs its task had in RUN (the values its key hashed: `with` \
            and `args`, and the visible names the function took by name; `flowspec explain` and \
            `inspect --json` show them). What it prints is shown as it prints, then the repr of \
            each output. No run is recorded (`flowspec runs` does not list it); the outputs are \
            stored as blobs no run names, which `flowspec gc` removes.

            --index names the task as `inspect` does (`3`, `2.0`, `#1`); a step of one task \
            needs none. From Python, `flowspec.step(spec, step, from_run, index=None)` returns \
            the outputs as a dict, for a test.

            Examples:
              flowspec step flow.yaml per_genre --from latest --index 3
              flowspec step flow.yaml train --from MovieStats/20261121-140307-3fa2 --json

            Exit status: 0, 1 when the function raised or the task is unknown or recorded no \
            inputs (a run before flowspec kept them), 2 wrong usage.
            """)

    @Argument(help: "The spec whose step to run.")
    var spec: String

    @Argument(help: "The step to run.")
    var step: String

    @Option(name: .customLong("from"), help: ArgumentHelp("The run whose task's inputs to use: FLOW/ID, an id, a unique prefix or latest.",
                                                          valueName: "run"))
    var origin: String

    @Option(help: ArgumentHelp("The task of the step in that run, as `inspect` names it (3, 2.0, #1).", valueName: "task"))
    var index: String?

    @Flag(help: "Print one JSON object: the outputs (blob, type, size, repr), what was printed, and the error if any.")
    var json = false

    @OptionGroup var store: StoreOption

    func run() throws {
        var launch = try FlowLaunch(specArgument: spec, store: store.resolved, startsRun: false)
        try launch.buildEnvironments()
        let context = try ReadingContext(store)
        let run = try context.run(origin.contains("/") ? origin : "\(launch.plan.flowName)/\(origin)")
        let task = try context.task(index, of: try context.step(step, of: run), in: run)
        guard let request = TaskRequest.replaying(TaskKey(step: task.step, path: task.index, iteration: task.iteration), in: launch.plan,
                                                  inputs: try Self.inputs(of: task, in: run), callerEnv: ProcessInfo.processInfo.environment) else {
            throw ReadingContext.failure("step '\(step)' has no 'run' in \(launch.specArgument): there is nothing to call")
        }
        let current = try storedCode(launch)
        let code = current + (try context.read { try context.reader.codeSnapshot(of: run.id) }).map {
            CodeFileRef(path: $0.path, blob: $0.blob, module: $0.module)
        }
        let result = try replay(request, launch: launch, code: code)
        Terminal.write(json ? ReadingFormat.json(Self.json(result, from: run, code: current)) : Self.text(result))
        if result.failure != nil { throw CommandFailure.specFailed }
    }

    /// The step files as they are now, stored as raw blobs: a value of a class they define is
    /// named by their content (`_flowspec_file_STEM_HASH`), so its readers need them.
    private func storedCode(_ launch: FlowLaunch) throws -> [CodeFileRef] {
        let snapshot = CodeSnapshot(plan: launch.plan, specFolder: launch.specFolder)
        let writer = try StoreWriter(path: store.resolved)
        for (_, bytes) in snapshot.files { _ = try writer.writeRawBlob(bytes) }
        return snapshot.refs
    }

    /// The task's recorded inputs, by name.
    private static func inputs(of task: TaskRecord, in run: RunRecord) throws -> [String: ValueSource] {
        guard let text = task.inputs, case .object(let members)? = JSONScanner.value(Array(text.utf8)) else {
            throw ReadingContext.failure("task \(run.flow)/\(run.id)/\(task.path) recorded no inputs",
                                         hint: "runs before flowspec kept each task's inputs cannot be replayed; run the flow again")
        }
        var inputs: [String: ValueSource] = [:]
        for (name, value) in members {
            guard let ref = ValueRef(jsonText: value.jsonText) else { throw ReadingContext.failure("input '\(name)' of \(task.path) is malformed") }
            inputs[name] = LocalExecutor.source(ref)
        }
        return inputs
    }

    /// Runs the request on one warm worker of its environment; what it printed streams to ours
    /// unless the answer is JSON.
    private func replay(_ request: TaskRequest, launch: FlowLaunch, code: [CodeFileRef]) throws -> TaskResult {
        let environments = launch.environments.interpreters
        guard let main = environments[launch.environments.main] else { throw ReadingContext.failure("no Python to run the step in") }
        let printed: PrintedLines? = json ? nil : Self.echo
        let executor = LocalExecutor(environments: environments, main: main, store: store.resolved, specFolder: launch.specFolder,
                                     maxWorkers: 1, printed: printed, code: code)
        return blocking { () async -> TaskResult in
            let result = await executor.run(request)
            await executor.shutDown()
            return result
        }
    }

    /// What the function prints, to our own stdout and stderr.
    private static let echo: PrintedLines = { _, stream, text in
        if stream == .stdout { Terminal.write(text) } else { Terminal.writeError(text) }
    }

    private static func text(_ result: TaskResult) -> String {
        if let failure = result.failure {
            return "\nfailed: \(failure.summary)\n" + (failure.traceback.isEmpty ? "" : failure.traceback)
        }
        let rows = result.outputs.sorted { $0.key < $1.key }.map { [$0.key, $0.value.type, InspectText.oneLine($0.value.repr)] }
        return "\noutputs\n" + (rows.isEmpty ? "  none\n" : ReadingFormat.indented(ReadingFormat.table(["NAME", "TYPE", "REPR"], rows, color: false), "  "))
    }

    private static func json(_ result: TaskResult, from run: RunRecord, code: [CodeFileRef]) -> JSONValue {
        .object([
            "from": .string("\(run.flow)/\(run.id)"),
            "code": .array(code.map { .object(["path": .string($0.path), "blob": .string($0.blob), "module": .optional($0.module)]) }),
            "outputs": InspectText.valuesJSON(result.outputs), "stdout": .string(result.stdout), "stderr": .string(result.stderr),
            "error": result.failure.map { .object(["kind": .string($0.kind.rawValue), "type": .string($0.type),
                                                   "message": .string($0.message), "traceback": .string($0.traceback)]) } ?? .null,
        ])
    }
}
