import FlowBasics
import FlowStore

/// The parts of a task's page: its facts, each attempt with its error, traceback and output,
/// and its artifacts.
public enum TaskSections {
    /// Output longer than this shows its first and last halves: a page stays quick to load.
    public static let shownOutput = 256 * 1024

    /// `level` is the heading's: 1 on a task's own page, lower inside a report.
    public static func header(_ detail: TaskDetail, run: RunRecord, links: some PageLinks, level: Int = 1) -> HTML {
        let task = detail.task
        let runName: HTML = links.run(run).map { "<a href=\"\($0)\">\(run.flow)/\(run.id.rawValue)</a>" } ?? "\(run.flow)/\(run.id.rawValue)"
        var facts: [(String, HTML)] = [("status", RunSections.badge(task.status.rawValue)), ("run", runName)]
        if let started = task.startedAt { facts.append(("started", "\(DisplayFormat.utcTime(started))")) }
        if let started = task.startedAt, let finished = task.finishedAt {
            facts.append(("duration", "\(DisplayFormat.duration(milliseconds: finished - started))"))
        }
        if !detail.parents.isEmpty {
            facts.append(("follows", HTML.joined(detail.parents.map { parent in
                links.task(parent, of: run).map { "<a href=\"\($0)\">\(parent.path)</a>" } ?? "\(parent.path)"
            }, separator: ", ")))
        }
        return "<header class=\"task-header\"><h\(level)>\(task.path)</h\(level)>\(RunSections.definitions(facts))</header>"
    }

    public static func attempts(_ detail: TaskDetail, run: RunRecord, links: some PageLinks) -> HTML {
        guard !detail.attempts.isEmpty else { return RunSections.section("attempts", "Attempts", "<p class=\"quiet\">none yet</p>") }
        let items = detail.attempts.reversed().map { attempt(detail.task, $0, run: run, links: links) }
        return RunSections.section("attempts", "Attempts", "\(items)")
    }

    private static func attempt(_ task: TaskRecord, _ attempt: AttemptRecord, run: RunRecord, links: some PageLinks) -> HTML {
        var facts: [(String, HTML)] = [("status", RunSections.badge(attempt.status.rawValue)), ("started", "\(DisplayFormat.utcTime(attempt.startedAt))")]
        if let finished = attempt.finishedAt { facts.append(("took", "\(DisplayFormat.duration(milliseconds: finished - attempt.startedAt))")) }
        if let seconds = attempt.seconds { facts.append(("function", "\(DisplayFormat.duration(seconds: seconds))")) }
        if let pid = attempt.workerPID { facts.append(("worker", "pid \(Int(pid))")) }
        if let status = attempt.exitStatus { facts.append(("exit status", "\(status)")) }
        if let signal = attempt.signal { facts.append(("signal", "\(signal)")) }
        let error: HTML = attempt.error.map { error in
            "<div class=\"error\"><p class=\"error-line\">\(error.summary)</p>"
                + (error.traceback.map { "<pre class=\"traceback\">\($0)</pre>" as HTML } ?? .empty) + "</div>"
        } ?? .empty
        let outputs = [("stdout", attempt.stdout), ("stderr", attempt.stderr)].map { stream, text in
            output(stream, text, raw: links.log(stream, attempt: attempt.number, of: task, run: run))
        }
        return """
            <article class="attempt" id="attempt-\(attempt.number)"><h3>attempt \(attempt.number)</h3>\
            \(RunSections.definitions(facts))\(error)\(outputs)</article>
            """
    }

    /// A stream's text in a `<pre>`; a long one cut in the middle, with a link to all of it.
    static func output(_ stream: String, _ text: String, raw: String?) -> HTML {
        guard !text.isEmpty else { return "<p class=\"quiet\">no \(stream)</p>" }
        var shown = text
        var note: HTML = .empty
        if text.utf8.count > shownOutput {
            let bytes = Array(text.utf8)
            let half = shownOutput / 2
            shown = String(decoding: bytes.prefix(half), as: UTF8.self) + "\n…\n" + String(decoding: bytes.suffix(half), as: UTF8.self)
            let all: HTML = raw.map { " <a href=\"\($0)\">all of it</a>" } ?? .empty
            note = "<p class=\"quiet\">\(DisplayFormat.size(Int64(bytes.count - 2 * half))) in the middle left out;\(all)</p>"
        }
        return "<h4>\(stream)</h4>\(note)<pre class=\"output \(stream)\">\(shown)</pre>"
    }

    /// The task's artifacts; `preview` gives each its preview (or a place for one).
    public static func artifacts(_ detail: TaskDetail, preview: (ArtifactRecord) -> HTML) -> HTML {
        guard !detail.artifacts.isEmpty else { return RunSections.section("artifacts", "Artifacts", "<p class=\"quiet\">none</p>") }
        let byName = Dictionary(detail.artifacts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let table = RunSections.valueTable(detail.artifacts.map { ($0.name, $0.value) }) { name, _ in
            byName[name].map(preview) ?? .empty
        }
        return RunSections.section("artifacts", "Artifacts", table)
    }
}
