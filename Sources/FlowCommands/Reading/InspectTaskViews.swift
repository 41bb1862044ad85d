import FlowBasics
import FlowStore

/// `inspect RUN/STEP`: the step's tasks.
struct StepView: InspectView {
    let run: RunRecord
    let step: StepRecord
    let tasks: [(task: TaskRecord, attempts: [AttemptRecord])]
    let environment: RunEnvironmentRecord?

    init(context: ReadingContext, run: RunRecord, step: StepRecord, tasks: [TaskRecord]) throws {
        self.run = run
        self.step = step
        environment = InspectEnvironments.of(step.name, in: try context.read { try context.reader.environments(of: run.id) })
        self.tasks = try tasks.map { task in (task, try context.read { try context.reader.attempts(of: task.id) }) }
    }

    func text(color: Bool) -> String {
        var text = "\(run.flow)/\(run.id)/\(step.name)  (\(step.kind), \(counted(tasks.count, "task")))\n"
        if let environment { text += "  environment: \(InspectEnvironments.label(environment))\n" }
        guard !tasks.isEmpty else { return text + "  no tasks: the step never ran\n" }
        let rows = tasks.map { task, attempts in
            [task.label.description.isEmpty ? "-" : task.label.description, task.status.rawValue,
             TaskView.seconds(task, attempts).map(ReadingFormat.duration) ?? "-", String(attempts.count),
             attempts.last?.error.map { InspectText.oneLine($0.summary) } ?? ""]
        }
        return text + ReadingFormat.indented(ReadingFormat.table(["TASK", "STATUS", "DURATION", "ATTEMPTS", "ERROR"], rows,
                                                                 color: color), "  ")
    }

    var json: JSONValue {
        .object([
            "run": .string("\(run.flow)/\(run.id)"), "step": .string(step.name), "kind": .string(step.kind),
            "environment": environment.map(InspectEnvironments.json) ?? .null,
            "tasks": .array(tasks.map { task, attempts in
                .object(["task": .string(task.label.description), "index": .array(task.index.map(JSONValue.int)),
                         "iteration": .int(task.iteration), "status": .string(task.status.rawValue),
                         "key": .optional(task.cacheKey), "reason": ReasonJSON.of(task.reason),
                         "duration_seconds": .optional(TaskView.seconds(task, attempts)), "attempts": .int(attempts.count),
                         "error": .optional(attempts.last?.error?.summary)])
            }),
        ])
    }
}

/// `inspect RUN/STEP/TASK`: one task's attempts, artifacts and parents.
struct TaskView: InspectView {
    let run: RunRecord
    let task: TaskRecord
    let attempts: [AttemptRecord]
    let artifacts: [ArtifactRecord]
    let parents: [TaskRecord]
    let origin: TaskRecord?
    let environment: RunEnvironmentRecord?
    /// For a foreach step's task: the item it processed.
    let item: InspectItem?

    init(context: ReadingContext, run: RunRecord, task: TaskRecord) throws {
        self.run = run
        self.task = task
        let reader = context.reader
        attempts = try context.read { try reader.attempts(of: task.id) }
        artifacts = try context.read { try reader.artifacts(of: task.id) }
        parents = try context.read { try reader.parents(of: task.id).map { try reader.task($0) } }
        origin = try task.originTask.map { id in try context.read { try reader.task(id) } }
        environment = InspectEnvironments.of(task.step, in: try context.read { try reader.environments(of: run.id) })
        item = try InspectItem(task: task, run: run, context: context)
    }

    /// The task's wall time, else its last attempt's own.
    static func seconds(_ task: TaskRecord, _ attempts: [AttemptRecord]) -> Double? {
        if let start = task.startedAt, let end = task.finishedAt { return Double(max(0, end - start)) / 1000 }
        return attempts.last?.seconds
    }

    private var name: String { "\(run.flow)/\(run.id)/\(task.path)" }

    func text(color: Bool) -> String {
        var text = (color ? "\u{1B}[1m\(name)\u{1B}[0m\n" : "\(name)\n")
        text += InspectText.fields([
            ("status", task.status.rawValue),
            ("item", item?.text),
            ("started", task.startedAt.map(ReadingFormat.localTime)),
            ("finished", task.finishedAt.map(ReadingFormat.localTime)),
            ("duration", Self.seconds(task, attempts).map(ReadingFormat.duration)),
            ("reused", origin.map { "results of \(run.flow)/\($0.run)/\($0.path)" }),
            ("follows", parents.isEmpty ? nil : parents.map(\.path).joined(separator: ", ")),
            ("environment", environment.map(InspectEnvironments.label)),
            ("why", task.reason?.text),
            ("key", task.cacheKey),
        ])
        text += InspectText.section("attempts", color: color)
        if attempts.isEmpty { text += "  none\n" }
        for attempt in attempts {
            var line = "  #\(attempt.number) \(attempt.status.rawValue)"
            if let seconds = attempt.seconds { line += " in \(ReadingFormat.duration(seconds))" }
            if let pid = attempt.workerPID { line += ", worker \(pid)" }
            if let job = attempt.job {
                line += ", Slurm job \(job.id)" + (job.node.map { " on \($0)" } ?? "") + (job.state.map { " (\($0))" } ?? "")
            }
            if let signal = attempt.signal { line += ", signal \(signal)" } else if let status = attempt.exitStatus, status != 0 {
                line += ", exit status \(status)"
            }
            text += line + "\n"
            if let error = attempt.error {
                text += "    error (\(error.kind)): \(error.summary)\n"
                if let traceback = error.traceback, !traceback.isEmpty { text += ReadingFormat.indented(traceback, "    ") }
            }
        }
        text += InspectText.section("artifacts", color: color)
        text += InspectText.artifacts(artifacts, color: color)
        if attempts.contains(where: { !$0.stdout.isEmpty || !$0.stderr.isEmpty }) {
            text += "\noutput: flowspec logs \(name)\n"
        }
        return text
    }

    var json: JSONValue {
        .object([
            "run": .string("\(run.flow)/\(run.id)"), "step": .string(task.step), "task": .string(task.label.description),
            "index": .array(task.index.map(JSONValue.int)), "iteration": .int(task.iteration),
            "status": .string(task.status.rawValue), "item": item?.json ?? .null,
            "started_at": .time(task.startedAt), "finished_at": .time(task.finishedAt),
            "duration_seconds": .optional(Self.seconds(task, attempts)),
            "reused_from": origin.map { .string("\(run.flow)/\($0.run)/\($0.path)") } ?? .null,
            "parents": .array(parents.map { .string($0.path) }),
            "environment": environment.map(InspectEnvironments.json) ?? .null,
            "key": .optional(task.cacheKey),
            "reason": ReasonJSON.of(task.reason),
            "attempts": .array(attempts.map { attempt in
                .object(["number": .int(attempt.number), "status": .string(attempt.status.rawValue),
                         "started_at": .time(attempt.startedAt), "finished_at": .time(attempt.finishedAt),
                         "seconds": .optional(attempt.seconds), "worker_pid": attempt.workerPID.map { .int(Int($0)) } ?? .null,
                         "job": attempt.job.map { job in
                             .object(["id": .string(job.id), "node": .optional(job.node), "state": .optional(job.state)])
                         } ?? .null,
                         "error": attempt.error.map { error in
                             .object(["kind": .string(error.kind), "type": .optional(error.type),
                                      "message": .string(error.message), "traceback": .optional(error.traceback)])
                         } ?? .null])
            }),
            "artifacts": InspectText.artifactsJSON(artifacts),
        ])
    }
}
