import ArgumentParser
import FlowBasics
import FlowStore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a run, one of its steps, or one task.",
        discussion: """
            RUN: its status, flow, spec, times, params, Python, tags, each step's tasks by \
            status, and the run's data (the artifacts the end step sees).
            RUN/STEP: the step's tasks: position, status, duration, attempts. A step outside \
            any foreach that ran once has one task, and RUN/STEP shows that task (`RUN/end`).
            RUN/STEP/TASK: the task's attempts (with the error and traceback of a failed one), \
            the artifacts it produced, and the tasks it follows; for a foreach task, the item it \
            processed (its short repr, which one Python worker reads, as `flowspec get` does, \
            and where it comes from: `genres[3]`).

            RUN is FLOW/ID or ID, where ID may be a unique prefix or `latest`. TASK is the \
            task's foreach position from 0: `per_genre/3`; inside nested foreaches, the \
            positions outermost first, joined by dots: `inner/2.0`. A pass of a switch loop \
            is `#K` after it (from 0; without it, the last pass): `refine/#1`, `inner/2.0#1`.

            Examples:
              flowspec inspect latest
              flowspec inspect MovieStats/latest/per_genre
              flowspec inspect MovieStats/20261121-140307-3fa2/per_genre/3 --json

            Exit status: 0, or 1 for an unknown run, step or task.
            """)

    @Argument(help: ArgumentHelp("What to show.", valueName: "run[/step[/task]]"))
    var target: String

    @Flag(help: "Print one JSON object (times in UTC, ISO 8601).")
    var json = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let context = try ReadingContext(store)
        let (run, rest) = try context.resolve(target)
        let view: InspectView
        switch rest.count {
        case 0: view = try RunView(context: context, run: run)
        case 1:
            let step = try context.step(rest[0], of: run)
            let tasks = try context.read { try context.reader.tasks(of: run.id, step: step.name) }
            if tasks.count == 1, let only = tasks.first, only.index.isEmpty {
                view = try TaskView(context: context, run: run, task: only)
            } else {
                view = try StepView(context: context, run: run, step: step, tasks: tasks)
            }
        case 2:
            let step = try context.step(rest[0], of: run)
            view = try TaskView(context: context, run: run, task: try context.task(rest[1], of: step, in: run))
        default:
            throw ReadingContext.failure("'\(target)' has too many parts: inspect takes RUN, RUN/STEP or RUN/STEP/TASK", status: 2)
        }
        Terminal.write(json ? ReadingFormat.json(view.json) : view.text(color: Terminal.wantsColor(fileDescriptor: 1)))
    }
}

/// What `inspect` shows, as text and as JSON.
protocol InspectView {
    var json: JSONValue { get }
    func text(color: Bool) -> String
}

/// Rendering shared by the views.
enum InspectText {
    static func fields(_ pairs: [(String, String?)]) -> String {
        let shown = pairs.compactMap { name, value in value.map { (name, $0) } }
        let width = shown.map(\.0.count).max() ?? 0
        return shown.map { "  " + $0 + String(repeating: " ", count: width - $0.count) + "  " + $1 + "\n" }.joined()
    }

    static func section(_ title: String, color: Bool) -> String {
        color ? "\n\u{1B}[1m\(title)\u{1B}[0m\n" : "\n\(title)\n"
    }

    static func artifacts(_ records: [ArtifactRecord], color: Bool) -> String {
        values(records.map { ($0.name, $0.value) }, color: color)
    }

    static func values(_ values: [(name: String, value: ArtifactRef)], color: Bool) -> String {
        guard !values.isEmpty else { return "  none\n" }
        let rows = values.map { [$0.name, $0.value.type, ReadingFormat.size($0.value.size), oneLine($0.value.repr)] }
        return ReadingFormat.indented(ReadingFormat.table(["NAME", "TYPE", "SIZE", "REPR"], rows, color: color), "  ")
    }

    static func artifactsJSON(_ records: [ArtifactRecord]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: records.map { ($0.name, $0.value.json) }))
    }

    static func valuesJSON(_ values: [String: ArtifactRef]) -> JSONValue {
        .object(values.mapValues(\.json))
    }

    /// A repr on one line: newlines shown as `\n`.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
