import FlowBasics
import FlowStore

/// `inspect RUN`.
struct RunView: InspectView {
    let run: RunRecord
    let status: RunStatus
    let steps: [StepRecord]
    let tasks: [TaskRecord]
    /// The run's data; nil when the end step never finished.
    let data: [ArtifactRecord]?
    let environments: [RunEnvironmentRecord]
    /// Why the run failed, one line per failure.
    let failure: String?

    init(context: ReadingContext, run: RunRecord) throws {
        self.run = run
        status = context.reader.observedStatus(of: run)
        steps = try context.read { try context.reader.steps(of: run.id) }
        tasks = try context.read { try context.reader.tasks(of: run.id) }
        data = try context.read { try context.reader.runArtifacts(of: run.id) }?.values.sorted { $0.name < $1.name }
        environments = try context.read { try context.reader.environments(of: run.id) }
        failure = try context.read { try context.reader.failure(of: run.id) }
    }

    private var duration: Double? {
        run.finishedAt == nil && status != .running ? nil : ReadingFormat.seconds(from: run.createdAt, to: run.finishedAt)
    }

    private var params: [(name: String, value: ArtifactRef)] {
        run.params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Status → how many of the step's tasks have it, in a fixed order.
    private func counts(_ step: StepRecord) -> [(TaskStatus, Int)] {
        let own = tasks.filter { $0.step == step.name }
        return TaskStatus.allCases.map { status in (status, own.filter { $0.status == status }.count) }.filter { $0.1 > 0 }
    }

    func text(color: Bool) -> String {
        var text = (color ? "\u{1B}[1m\(run.flow)/\(run.id)\u{1B}[0m\n" : "\(run.flow)/\(run.id)\n")
        text += InspectText.fields([
            ("status", status.rawValue), ("flow", run.flow), ("spec", run.specPath),
            ("created", ReadingFormat.localTime(run.createdAt)), ("finished", run.finishedAt.map(ReadingFormat.localTime)),
            ("duration", duration.map(ReadingFormat.duration)),
            ("python", run.pythonVersion.map { v in v + (run.pythonExecutable.map { " (\($0))" } ?? "") }),
            ("user", run.user), ("tags", Self.listed(RunTags.user(run.tags))), ("system tags", Self.listed(RunTags.system(run.tags))),
            ("resumed", run.originRun.map { "from \(run.flow)/\($0)" + (run.resumeFrom.map { " at step '\($0)'" } ?? "") }),
        ])
        if let failure {
            text += InspectText.section("why it failed", color: color)
            text += ReadingFormat.indented(failure + "\n", "  ")
        }
        text += InspectText.section("params", color: color)
        text += run.params.isEmpty ? "  none\n" : ReadingFormat.indented(ReadingFormat.table(
            ["NAME", "TYPE", "REPR"], params.map { [$0.name, $0.value.type, InspectText.oneLine($0.value.repr)] }, color: color), "  ")
        text += InspectText.section("steps", color: color)
        let rows = steps.map { step -> [String] in
            let counts = counts(step)
            return [step.name, step.kind, String(counts.map(\.1).reduce(0, +)),
                    counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")]
        }
        text += ReadingFormat.indented(ReadingFormat.table(["STEP", "KIND", "TASKS", "STATUS"], rows, color: color), "  ")
        text += InspectEnvironments.text(environments, color: color)
        text += InspectText.section("artifacts (as the end step sees them)", color: color)
        if let data {
            text += InspectText.artifacts(data, color: color)
        } else {
            text += "  none: the end step did not finish\n"
        }
        return text
    }

    private static func listed(_ tags: [String]) -> String? {
        tags.isEmpty ? nil : tags.joined(separator: ", ")
    }

    var json: JSONValue {
        var object = RunsCommand.json(run, status).objectFields
        object["spec_path"] = .optional(run.specPath)
        object["python"] = .object(["version": .optional(run.pythonVersion), "executable": .optional(run.pythonExecutable)])
        object["params"] = InspectText.valuesJSON(run.params)
        object["origin_run"] = .optional(run.originRun?.rawValue)
        object["failure"] = .optional(failure)
        object["steps"] = .array(steps.map { step in
            .object(["name": .string(step.name), "kind": .string(step.kind), "end": .bool(step.isEnd),
                     "environment": InspectEnvironments.of(step.name, in: environments).map { .string(InspectEnvironments.label($0)) } ?? .null,
                     "tasks": .object(Dictionary(uniqueKeysWithValues: counts(step).map { ($0.0.rawValue, JSONValue.int($0.1)) }))])
        })
        object["environments"] = .array(environments.map(InspectEnvironments.json))
        object["artifacts"] = data.map(InspectText.artifactsJSON) ?? .null
        return .object(object)
    }
}

extension JSONValue {
    var objectFields: [String: JSONValue] {
        guard case let .object(fields) = self else { return [:] }
        return Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) })
    }
}
