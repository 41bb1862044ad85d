import ArgumentParser
import FlowBasics
import FlowStore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say why each task of a run ran, or where it was reused from.",
        discussion: """
            Every task records why it ran or was reused, in one vocabulary (docs/spec.md, \
            "Cache, explain and resume"):
              reused: same code, inputs and environment as FLOW/ID/STEP/TASK
              ran: no earlier task with this key
              ran: FILE changed
              ran: input NAME changed
              ran: environment changed (PACKAGE A -> B)
              ran: cache off
              ran: --from STEP
            and, more rarely, `ran: function changed (A -> B)`, `ran: outputs changed` and \
            `ran: TASK had this key but did not complete`. What changed is found by comparing \
            with the latest earlier task of the same step and position (for a resumed run, the \
            resumed run's). `flowspec plan SPEC` predicts the same before a run.

            RUN, RUN/STEP or RUN/STEP/TASK as for `inspect`. --json gives each task's `code` \
            (reused, no_earlier_task, file_changed, input_changed, environment_changed, \
            cache_off, from, function_changed, outputs_changed, earlier_not_completed) beside \
            its sentence.

            Examples:
              flowspec explain latest
              flowspec explain MovieStats/latest/per_genre
              flowspec explain MovieStats/latest/per_genre/3 --json

            Exit status: 0, or 1 for an unknown run, step or task.
            """)

    @Argument(help: ArgumentHelp("What to explain.", valueName: "run[/step[/task]]"))
    var target: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let context = try ReadingContext(store)
        let (run, rest) = try context.resolve(target)
        let tasks: [TaskRecord]
        switch rest.count {
        case 0: tasks = try context.read { try context.reader.tasks(of: run.id) }
        case 1: tasks = try context.read { try context.reader.tasks(of: run.id, step: try context.step(rest[0], of: run).name) }
        case 2:
            let step = try context.step(rest[0], of: run)
            tasks = [try context.task(rest[1], of: step, in: run)]
        default:
            throw ReadingContext.failure("'\(target)' has too many parts: explain takes RUN, RUN/STEP or RUN/STEP/TASK", status: 2)
        }
        let explanation = Explanation(run: run, tasks: tasks)
        Terminal.write(json ? ReadingFormat.json(explanation.json) : explanation.text)
    }
}

/// The reasons of some tasks of one run.
struct Explanation {
    let run: RunRecord
    let tasks: [TaskRecord]

    var text: String {
        var text = "\(run.flow)/\(run.id): \(summary)\n"
        let rows = tasks.map { [$0.path, $0.status.rawValue, $0.reason?.text ?? Self.unrecorded] }
        return text + ReadingFormat.indented(ReadingFormat.table(["TASK", "STATUS", "WHY"], rows, color: false), "  ")
    }

    /// "12 tasks: 10 reused, 2 ran".
    private var summary: String {
        let reused = tasks.count { $0.reason?.code == "reused" }
        let ran = tasks.count { $0.reason.map { $0.code != "reused" } ?? false }
        let others = tasks.count - reused - ran
        return "\(tasks.count) task\(tasks.count == 1 ? "" : "s"): \(reused) reused, \(ran) ran"
            + (others > 0 ? ", \(others) without a reason (a step without 'run', or recorded before reasons were)" : "")
    }

    var json: JSONValue {
        .object([
            "run": .string("\(run.flow)/\(run.id)"),
            "tasks": .array(tasks.map { task in
                .object(["task": .string(task.path), "status": .string(task.status.rawValue),
                         "code": .optional(task.reason?.code), "reason": .optional(task.reason?.text),
                         "key": .optional(task.cacheKey)])
            }),
        ])
    }

    /// For a task recorded before reasons were, or one of a step without `run`.
    static let unrecorded = "-"
}

/// A recorded reason as `inspect --json` and `explain --json` give it.
enum ReasonJSON {
    static func of(_ reason: TaskReasonRecord?) -> JSONValue {
        reason.map { .object(["code": .string($0.code), "text": .string($0.text)]) } ?? .null
    }
}
