import ArgumentParser
import FlowBasics
import FlowStore

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List recent runs, newest first.",
        discussion: """
            One line a run: its id (FLOW/ID, what `inspect`, `logs` and `get` take), status, \
            start in local time, duration, who ran it and its user tags. A run whose scheduler \
            is gone without finishing it shows as `interrupted`.

            --tag lists the runs that have every tag given (system tags too: `--tag user:ana`, \
            `--tag python_version:3.11.2`); --status and --user, the runs with any of those given.

            Examples:
              flowspec runs
              flowspec runs MovieStats --limit 5
              flowspec runs --tag nightly --tag v2 --status completed
              flowspec runs --user ana --json | jq -r '.[0].id'

            Exit status: 0, or 1 for an unknown flow or a missing store, 2 for an unknown status.
            """)

    @Argument(help: "Only the runs of this flow.")
    var flow: String?

    @Option(help: "How many runs to list.")
    var limit = 20

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs with this tag; repeat for runs with all of them.", valueName: "tag"))
    var tags: [String] = []

    @Option(name: .customLong("status"), help: ArgumentHelp(
        "Only runs with this status: running, completed, failed or interrupted; repeat for any of several.", valueName: "status"))
    var statuses: [String] = []

    @Option(name: .customLong("user"), help: ArgumentHelp("Only runs this user ran; repeat for any of several.", valueName: "user"))
    var users: [String] = []

    @Flag(help: "Print a JSON array, one object a run (times in UTC, ISO 8601).")
    var json = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        let known = RunStatus.allCases.map(\.rawValue)
        for status in statuses where !known.contains(status) {
            throw ValidationError("--status '\(status)' is not a run status; "
                + (NearestNames.hint(for: status, among: known) ?? "a run is \(quotedList(known, conjunction: "or"))"))
        }
    }

    func run() throws {
        let context = try ReadingContext(store)
        if let flow { try Self.checkFlow(flow, in: context) }
        let filter = RunFilter(flow: flow, tags: tags, statuses: Set(statuses.compactMap(RunStatus.init)), users: users)
        let runs = try context.read { try context.reader.runs(matching: filter, limit: limit) }
        let statuses = runs.map { context.reader.observedStatus(of: $0) }
        if json {
            Terminal.write(ReadingFormat.json(.array(zip(runs, statuses).map(Self.json))))
            if runs.isEmpty { try explainNoMatch(context) }
            return
        }
        guard !runs.isEmpty else {
            try explainNoMatch(context)
            return
        }
        let rows = zip(runs, statuses).map { run, status in
            ["\(run.flow)/\(run.id)", status.rawValue, ReadingFormat.localTime(run.createdAt),
             Self.duration(run, status), run.user ?? "-", RunTags.user(run.tags).joined(separator: ", ")]
        }
        Terminal.write(ReadingFormat.table(["RUN", "STATUS", "STARTED", "DURATION", "USER", "TAGS"], rows,
                                           color: Terminal.wantsColor(fileDescriptor: 1)))
    }

    private static func checkFlow(_ flow: String, in context: ReadingContext) throws {
        let flows = try context.read { try context.reader.flows().map(\.name) }
        guard !flows.contains(flow) else { return }
        throw ReadingContext.failure("no flow '\(flow)' in the store at '\(context.storePath)'", hint:
            NearestNames.hint(for: flow, among: flows) ?? (flows.isEmpty ? "the store has no runs yet" : "its flows are \(quotedList(flows))"))
    }

    /// Says on stderr that nothing matched, with the nearest of the tags and users the store
    /// knows for one that no run has.
    private func explainNoMatch(_ context: ReadingContext) throws {
        let all = try context.read { try context.reader.runs(flow: flow) }
        guard !all.isEmpty else {
            Terminal.writeError("no runs yet in '\(context.storePath)'\n")
            return
        }
        var text = "no runs match\n"
        let knownTags = Set(all.flatMap(\.tags)), knownUsers = Set(all.compactMap(\.user))
        for tag in tags where !knownTags.contains(tag) {
            text += "hint: no run has tag '\(tag)'" + (NearestNames.hint(for: tag, among: knownTags).map { "; \($0)" } ?? "") + "\n"
        }
        for user in users where !knownUsers.contains(user) {
            text += "hint: no run is by user '\(user)'" + (NearestNames.hint(for: user, among: knownUsers).map { "; \($0)" } ?? "") + "\n"
        }
        Terminal.writeError(text)
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
            "tags": .array(run.tags.map(JSONValue.string)), "user_tags": .array(RunTags.user(run.tags).map(JSONValue.string)),
            "system_tags": .array(RunTags.system(run.tags).map(JSONValue.string)), "user": .optional(run.user),
        ])
    }
}
