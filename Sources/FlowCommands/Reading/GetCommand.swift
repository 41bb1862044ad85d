import ArgumentParser
import FlowBasics
import FlowRuntime
import FlowStore
import WorkerProtocol

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print an artifact's value, or write it as a pickle file.",
        discussion: """
            Prints the value's full repr (`inspect` shows only its first 200 characters). With \
            -o FILE, writes `pickle.dumps(value, protocol=5)` to FILE instead: \
            `pickle.load(open(FILE, "rb"))` reads it back without flowspec (the classes it \
            holds must be importable). Either way one Python worker loads the value, with the \
            interpreter the run used if it is still there, else the `python3` on PATH.

            RUN/ARTIFACT is the run's data: the artifact as the end step sees it. \
            RUN/STEP/ARTIFACT and RUN/STEP/TASK/ARTIFACT are what that task sees: its own \
            outputs and those of the steps before it. TASK is written as for `flowspec inspect` \
            (`per_genre/3`, `inner/2.0`, `refine/#1`).

            Examples:
              flowspec get latest/end
              flowspec get MovieStats/latest/per_genre/3/stats
              flowspec get MovieStats/latest/movies -o movies.pkl

            Exit status: 0, or 1 for an unknown run, step, task or artifact, or a value that \
            cannot be loaded.
            """)

    @Argument(help: ArgumentHelp("The artifact.", valueName: "run[/step[/task]]/artifact"))
    var target: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the value as a pickle file here.", valueName: "file"))
    var output: String?

    @Flag(help: "Print JSON: {name, type, size, blob, repr}.")
    var json = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        if json && output != nil { throw ValidationError("--json and --output exclude each other") }
    }

    func run() throws {
        let context = try ReadingContext(store)
        let (run, rest) = try context.resolve(target)
        let artifact = try find(rest, in: run, context: context)
        let worker = try context.read { try RunWorker(run: run, context: context) }
        defer { worker.shutDown() }
        let value = ValueRef.blob(artifact.value.blob)
        let request: WorkerRequest = if let output {
            .dump(DumpRequest(id: 1, store: context.storePath, value: value, path: UserPath.absolute(output), run: run.id.rawValue, code: worker.code))
        } else {
            .repr(ValueRequest(id: 1, store: context.storePath, value: value, run: run.id.rawValue, code: worker.code))
        }
        let response: WorkerResponse
        do {
            response = try worker.send(request)
        } catch {
            throw ReadingContext.failure("\(error)")
        }
        if let error = response.error, response.status == .failed {
            Terminal.writeError(error.traceback.isEmpty || error.traceback.hasSuffix("\n") ? error.traceback : error.traceback + "\n")
            throw ReadingContext.failure("cannot load '\(artifact.name)' (\(artifact.value.type)): \(error.message)")
        }
        if let output {
            Terminal.writeError("wrote '\(artifact.name)' (\(artifact.value.type)) to \(output)\n")
        } else if json {
            Terminal.write(ReadingFormat.json(.object([
                "name": .string(artifact.name), "type": .string(artifact.value.type), "size": .int(Int(artifact.value.size)),
                "blob": .string(artifact.value.blob), "repr": .string(response.repr ?? ""),
            ])))
        } else {
            let repr = response.repr ?? ""
            Terminal.write(repr.hasSuffix("\n") ? repr : repr + "\n")
        }
    }

    /// The artifact `rest` names after the run: `ARTIFACT`, `STEP/ARTIFACT` or `STEP/TASK/ARTIFACT`.
    private func find(_ rest: [String], in run: RunRecord, context: ReadingContext) throws -> ArtifactRecord {
        let visible: [String: ArtifactRecord]
        let owner: String
        switch rest.count {
        case 1:
            guard let data = try context.read({ try context.reader.runArtifacts(of: run.id) }) else {
                throw ReadingContext.failure("run '\(run.flow)/\(run.id)' has no data: its end step did not finish",
                                             hint: "name a step: '\(run.flow)/\(run.id)/STEP/\(rest[0])'")
            }
            visible = data
            owner = "the end step of '\(run.flow)/\(run.id)'"
        case 2, 3:
            let step = try context.step(rest[0], of: run)
            let task = try context.task(rest.count == 3 ? rest[1] : nil, of: step, in: run)
            visible = try context.read { try context.reader.visibleArtifacts(of: task.id) }
            owner = "task '\(task.path)'"
        default:
            throw ReadingContext.failure("get takes RUN[/STEP[/TASK]]/ARTIFACT, not '\(target)'", status: 2)
        }
        let name = rest[rest.count - 1]
        if let found = visible[name] { return found }
        var hint = NearestNames.hint(for: name, among: visible.keys) ?? "it sees \(quotedList(visible.keys.sorted()))"
        if rest.count == 1, try context.read({ try context.reader.steps(of: run.id) }).contains(where: { $0.name == name }) {
            hint = "'\(name)' is a step: name one of its artifacts, '\(run.flow)/\(run.id)/\(name)/ARTIFACT'"
        }
        throw ReadingContext.failure("\(owner) sees no artifact '\(name)'", hint: hint)
    }
}
