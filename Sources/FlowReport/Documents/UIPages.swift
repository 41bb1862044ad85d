import FlowStore

/// The pages of `flowspec ui`, whole documents: FlowUI fills them from the store and serves
/// them. Each loads one script from the server (`script`), which makes a running run's page
/// update itself and fills in previews; without it every page still reads whole.
public enum UIPages {
    public static let script = "/static/ui.js"

    static func document(_ title: String, _ body: HTML, store: String, live: String? = nil) -> HTML {
        let nav: HTML = """
            <nav class="top"><a href="/">flowspec</a><span class="quiet">\(store)</span>\
            \(live.map { "<span hidden data-live-source=\"\($0)\"></span>" as HTML } ?? .empty)</nav>
            """
        return Page.document(title: title, body: body, nav: nav, script: script)
    }

    public static func runs(_ page: RunPage, listing: RunListing, choices: RunsTable.Choices, counts: [RunID: TaskCounts],
                            store: String, links: some PageLinks, pageLink: (Int) -> String) -> HTML {
        let now = RunSnapshot.now()
        let table = RunsTable.table(page, counts: counts, now: now, runLink: { links.run($0) ?? "#" }, compareAction: "/compare")
        let body = "<h1>Runs</h1>" + RunsTable.filters(listing, choices: choices)
            + RunsTable.pager(listing, total: page.total, link: pageLink) + table
        return document("runs — flowspec", body, store: store)
    }

    /// `live` is where the page asks for its run's state while it runs; `reported` are the
    /// artifacts the steps' `report:` names, shown first, each with what `preview` gives it.
    public static func run(_ snapshot: RunSnapshot, filter: TaskFilter, store: String, links: some PageLinks, live: String?,
                           reported: [ArtifactRecord] = [], preview: (ArtifactRecord) -> HTML = { _ in .empty }) -> HTML {
        let table = TaskTable.render(snapshot, filter: filter, links: links)
        let tasks = RunSections.section("tasks", "Tasks", taskFilters(snapshot, filter) + "<div data-live=\"tasks\">\(table)</div>")
        let body = RunSections.header(snapshot, links: links) + RunSections.reported(reported, of: snapshot, links: links, preview: preview)
            + RunSections.graph(snapshot, links: links)
            + RunSections.timeline(snapshot) + RunSections.params(snapshot.run) + RunSections.environments(snapshot.environments) + tasks
        return document("\(snapshot.name) — flowspec", body, store: store, live: snapshot.status == .running ? live : nil)
    }

    /// What a live run page replaces as its run goes on, by the `data-live` name of its place:
    /// markup for `reported` (when a step has `report:`), `graph`, `timeline` and `tasks`, text
    /// for `status`, `duration` and `tasks-line`.
    public static func liveParts(_ snapshot: RunSnapshot, filter: TaskFilter, links: some PageLinks,
                                 reported: [ArtifactRecord] = [], preview: (ArtifactRecord) -> HTML = { _ in .empty }) -> [(String, String)] {
        let header = RunSections.liveFacts(snapshot)
        let reportedPart = snapshot.reportedNames == 0 ? [] : [
            ("reported", RunSections.reportedTable(reported, of: snapshot, links: links, preview: preview).markup),
        ]
        return reportedPart + [
            ("status", snapshot.status.rawValue), ("duration", header.duration), ("tasks-line", header.tasks),
            ("graph", GraphSVG.render(snapshot.graph, states: snapshot.stepStates) { links.step($0, of: snapshot.run) }.markup),
            ("timeline", TimelineSVG.render(snapshot).markup),
            ("tasks", TaskTable.render(snapshot, filter: filter, links: links).markup),
        ]
    }

    private static func taskFilters(_ snapshot: RunSnapshot, _ filter: TaskFilter) -> HTML {
        let steps = snapshot.steps.map { step -> HTML in
            "<option value=\"\(step.name)\"\(step.name == filter.step ? " selected" : "")>\(step.name)</option>"
        }
        let statuses = TaskStatus.allCases.map { status -> HTML in
            "<option value=\"\(status.rawValue)\"\(status == filter.status ? " selected" : "")>\(status.rawValue)</option>"
        }
        return """
            <form class="filters" method="get" action="#tasks"><label>step<select name="step"><option value="">any</option>\(steps)</select></label>\
            <label>status<select name="status"><option value="">any</option>\(statuses)</select></label><button type="submit">filter</button></form>
            """
    }

    /// `preview` gives each artifact its preview, or a place a script fills in.
    public static func task(_ detail: TaskDetail, snapshot run: RunRecord, store: String, links: some PageLinks,
                            preview: (ArtifactRecord) -> HTML) -> HTML {
        let body = TaskSections.header(detail, run: run, links: links) + TaskSections.artifacts(detail, preview: preview)
            + TaskSections.attempts(detail, run: run, links: links)
        return document("\(detail.task.path) — \(run.flow)/\(run.id.rawValue)", body, store: store)
    }

    public static func compare(_ a: Comparison.Side, _ b: Comparison.Side, store: String, links: some PageLinks) -> HTML {
        document("compare — flowspec", "<h1>Two runs side by side</h1>" + Comparison.render(a, b, links: links), store: store)
    }

    public static func problem(_ title: String, _ message: String, store: String) -> HTML {
        document("\(title) — flowspec", "<h1>\(title)</h1><p>\(message)</p><p><a href=\"/\">all runs</a></p>", store: store)
    }
}
