import FlowBasics
import FlowStore

/// A run's tasks as a table, one page of them: a run of 10,000 tasks answers with its first
/// hundred and links to the rest.
public enum TaskTable {
    public static func render(_ snapshot: RunSnapshot, filter: TaskFilter, links: some PageLinks) -> HTML {
        let matching = snapshot.tasks.filter { task in
            (filter.step == nil || task.step == filter.step) && (filter.status == nil || task.status == filter.status)
        }
        let size = max(1, filter.pageSize)
        let pages = max(1, (matching.count + size - 1) / size)
        let page = min(max(0, filter.page), pages - 1)
        let shown = matching.dropFirst(page * size).prefix(size)
        let rows = shown.map { row($0, attempts: snapshot.attempts[$0.id] ?? [], run: snapshot.run, links: links) }
        let note = matching.count > shown.count
            ? "tasks \(DisplayFormat.count(page * size + 1))–\(DisplayFormat.count(page * size + shown.count)) of \(DisplayFormat.count(matching.count))"
            : "\(DisplayFormat.count(matching.count)) task\(matching.count == 1 ? "" : "s")"
        return """
            <p class="quiet" data-live="task-note">\(note)</p>\(pager(page, pages, snapshot.run, filter, links))\
            <table class="tasks"><thead><tr><th>task</th><th>status</th><th>started</th><th>duration</th><th>attempts</th>\
            <th>worker</th><th>error</th></tr></thead><tbody>\(Array(rows))</tbody></table>
            """
    }

    private static func row(_ task: TaskRecord, attempts: [AttemptTiming], run: RunRecord, links: some PageLinks) -> HTML {
        let label = task.path
        let name: HTML = links.task(task, of: run).map { "<a href=\"\($0)\">\(label)</a>" } ?? "\(label)"
        let last = attempts.last
        let duration = task.startedAt.map { DisplayFormat.duration(milliseconds: (task.finishedAt ?? RunSnapshot.now()) - $0) } ?? ""
        let worker = last?.workerPID.map { String($0) } ?? ""
        let error = attempts.last(where: { $0.error != nil })?.error?.summary ?? ""
        return """
            <tr class="state-\(task.status.rawValue)"><td class="name">\(name)</td><td>\(RunSections.badge(task.status.rawValue))</td>\
            <td>\(task.startedAt.map(DisplayFormat.utcTime) ?? "")</td><td class="num">\(duration)</td><td class="num">\(attempts.count)</td>\
            <td class="num">\(worker)</td><td class="error">\(GraphSVG.clipped(error, 300))</td></tr>
            """
    }

    private static func pager(_ page: Int, _ pages: Int, _ run: RunRecord, _ filter: TaskFilter, _ links: some PageLinks) -> HTML {
        guard pages > 1 else { return .empty }
        func link(_ target: Int, _ text: String) -> HTML {
            guard target >= 0, target < pages, target != page, let href = links.taskPage(target, of: run, filter: filter) else {
                return "<span class=\"page-off\">\(text)</span>"
            }
            return "<a class=\"page\" href=\"\(href)\">\(text)</a>"
        }
        return "<nav class=\"pager\">\(link(0, "first"))\(link(page - 1, "previous"))<span>page \(page + 1) of \(pages)</span>\(link(page + 1, "next"))\(link(pages - 1, "last"))</nav>"
    }
}
