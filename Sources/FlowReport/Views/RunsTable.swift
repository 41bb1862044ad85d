import FlowBasics
import FlowStore

/// The runs page's parts: its filters and a table of one page of runs, newest first.
public enum RunsTable {
    /// What the filters can choose from.
    public struct Choices: Sendable {
        public var flows: [String]
        public var users: [String]
        public var tags: [String]

        public init(flows: [String], users: [String], tags: [String]) {
            self.flows = flows
            self.users = users
            self.tags = tags
        }
    }

    public static func filters(_ listing: RunListing, choices: Choices) -> HTML {
        """
        <form class="filters" method="get" action="/">\
        \(select("flow", choices.flows, listing.flow))\(select("status", RunStatus.allCases.map(\.rawValue), listing.status?.rawValue))\
        \(select("tag", choices.tags, listing.tag))\(select("user", choices.users, listing.user))\
        <button type="submit">filter</button> <a href="/">clear</a></form>
        """
    }

    private static func select(_ name: String, _ values: [String], _ chosen: String?) -> HTML {
        let options = values.map { value -> HTML in
            "<option value=\"\(value)\"\(value == chosen ? " selected" : "")>\(GraphSVG.clipped(value, 60))</option>"
        }
        return "<label>\(name)<select name=\"\(name)\"><option value=\"\">any</option>\(options)</select></label>"
    }

    /// `counts` are each run's tasks by status; `runLink` and `pageLink` make the links.
    public static func table(_ page: RunPage, counts: [RunID: TaskCounts], now: Timestamp,
                             runLink: (RunRecord) -> String, compareAction: String) -> HTML {
        guard !page.runs.isEmpty else { return "<p class=\"quiet\">no runs match</p>" }
        let rows = zip(page.runs, page.statuses).map { run, status -> HTML in
            let end = run.finishedAt ?? (status == .running ? now : nil)
            let duration = end.map { DisplayFormat.duration(milliseconds: $0 - run.createdAt) } ?? "—"
            return """
                <tr><td><input type="checkbox" name="run" value="\(run.id.rawValue)" aria-label="compare"></td>\
                <td class="name"><a href="\(runLink(run))">\(run.flow)/\(run.id.rawValue)</a></td><td>\(RunSections.badge(status.rawValue))</td>\
                <td>\(DisplayFormat.utcTime(run.createdAt))</td><td class="num">\(duration)</td>\
                <td>\(RunSections.taskLine(counts[run.id] ?? [:]))</td><td>\(run.user)</td><td>\(RunSections.tags(run.tags))</td></tr>
                """
        }
        return """
            <form method="get" action="\(compareAction)"><table class="runs"><thead><tr><th></th><th>run</th><th>status</th>\
            <th>started</th><th>duration</th><th>tasks</th><th>user</th><th>tags</th></tr></thead><tbody>\(rows)</tbody></table>\
            <button type="submit">compare the two checked runs</button></form>
            """
    }

    public static func pager(_ listing: RunListing, total: Int, link: (Int) -> String) -> HTML {
        let pages = max(1, (total + listing.limit - 1) / max(1, listing.limit))
        let page = listing.offset / max(1, listing.limit)
        let first = total == 0 ? 0 : listing.offset + 1, last = min(total, listing.offset + listing.limit)
        func go(_ target: Int, _ text: String) -> HTML {
            target >= 0 && target < pages && target != page ? "<a class=\"page\" href=\"\(link(target))\">\(text)</a>"
                : "<span class=\"page-off\">\(text)</span>"
        }
        return """
            <nav class="pager"><span>runs \(DisplayFormat.count(first))–\(DisplayFormat.count(last)) of \(DisplayFormat.count(total))</span>\
            \(go(0, "newest"))\(go(page - 1, "newer"))\(go(page + 1, "older"))\(go(pages - 1, "oldest"))</nav>
            """
    }
}
