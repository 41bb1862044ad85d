import ArgumentParser
import FlowBasics
import FlowStore

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recent runs, newest first.",
        discussion: """
            One line a run: its id (FLOW/ID, what `inspect`, `logs` and `get` take), status, \
            start in local time, duration and tags. A run whose scheduler is gone without \
            finishing it shows as `interrupted`.

            Examples:
              flowspec runs
              flowspec runs MovieStats --limit 5
              flowspec runs --json | jq -r '.[0].id'

            Exit status: 0, or 1 for an unknown flow or a missing store.
            """)

    @Argument(help: "Only the runs of this flow.")
    var flow: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    @Flag(help: "Print a JSON array, one object a run (times in UTC, ISO 8601).")
    var json = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let context = try ReadingContext(store)
        if let flow {
            let flows = try context.read { try context.reader.flows().map(\.name) }
            guard flows.contains(flow) else {
                throw ReadingContext.failure("no flow '\(flow)' in the store at '\(context.storePath)'", hint:
                    NearestNames.hint(for: flow, among: flows) ?? (flows.isEmpty ? "the store has no runs yet" : "its flows are \(quotedList(flows))"))
            }
        }
        let runs = try context.read { try context.reader.runs(flow: flow, limit: limit) }
        let statuses = runs.map { context.reader.observedStatus(of: $0) }
        if json {
            Terminal.write(ReadingFormat.json(.array(zip(runs, statuses).map(Self.json))))
            return
        }
        guard !runs.isEmpty else {
            Terminal.writeError("no runs yet in '\(context.storePath)'\n")
            return
        }
        let rows = zip(runs, statuses).map { run, status in
            ["\(run.flow)/\(run.id)", status.rawValue, ReadingFormat.localTime(run.createdAt),
             Self.duration(run, status), run.tags.joined(separator: ", ")]
        }
        Terminal.write(ReadingFormat.table(["RUN", "STATUS", "STARTED", "DURATION", "TAGS"], rows,
                                           color: Terminal.wantsColor(fileDescriptor: 1)))
    }

    /// A finished run's duration; a running one's so far; nothing for an interrupted one.
    private static func duration(_ run: RunRecord, _ status: RunStatus) -> String {
        if run.finishedAt == nil, status != .running { return "-" }
        return ReadingFormat.seconds(from: run.createdAt, to: run.finishedAt).map(ReadingFormat.duration) ?? "-"
    }

    static func json(_ run: RunRecord, _ status: RunStatus) -> JSONValue {
        .object([
            "id": .string("\(run.flow)/\(run.id)"), "flow": .string(run.flow), "run": .string(run.id.rawValue),
            "status": .string(status.rawValue), "started_at": .time(run.createdAt), "finished_at": .time(run.finishedAt),
            "duration_seconds": run.finishedAt == nil && status != .running ? .null
                : .optional(ReadingFormat.seconds(from: run.createdAt, to: run.finishedAt)),
            "tags": .array(run.tags.map(JSONValue.string)), "user": .optional(run.user),
        ])
    }
}
