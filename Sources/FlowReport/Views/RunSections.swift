import FlowBasics
import FlowStore

/// The parts of a run's page, shared by the UI and the report.
public enum RunSections {
    public static func header(_ snapshot: RunSnapshot, links: some PageLinks) -> HTML {
        let run = snapshot.run
        let live = liveFacts(snapshot)
        let origin: HTML? = run.originRun.map { origin in
            "resumed \(origin.rawValue)" + (run.resumeFrom.map { HTML(stringLiteral: " from step ") + "\($0)" } ?? .empty)
        }
        var facts: [(String, HTML)] = [
            ("status", badge(snapshot.status.rawValue, live: true)), ("started", "\(DisplayFormat.utcTime(run.createdAt))"),
            ("duration", "<span data-live=\"duration\">\(live.duration)</span>"),
            ("tasks", "<span data-live=\"tasks-line\">\(live.tasks)</span>"),
        ]
        if let user = run.user { facts.append(("user", "\(user)")) }
        if let spec = run.specPath { facts.append(("spec", "<code>\(spec)</code>")) }
        facts.append(("scheduler", "\(run.schedulerHost), pid \(Int(run.schedulerPID))"))
        if let python = run.pythonVersion { facts.append(("python", "\(python)" + (run.pythonExecutable.map { " <code>\($0)</code>" as HTML } ?? .empty))) }
        if let origin { facts.append(("origin", origin)) }
        let failure: HTML = snapshot.failure.map { "<pre class=\"failure\">\($0)</pre>" } ?? .empty
        return """
            <header class="run-header"><h1><span class="flow">\(run.flow)</span>/<span class="run-id">\(run.id.rawValue)</span></h1>\
            \(tags(run.tags))\(definitions(facts))\(failure)</header>
            """
    }

    /// The header's facts that change while a run goes on.
    static func liveFacts(_ snapshot: RunSnapshot) -> (duration: String, tasks: String) {
        let duration = DisplayFormat.duration(milliseconds: snapshot.end - snapshot.run.createdAt) + (snapshot.status == .running ? " so far" : "")
        return (duration, taskLine(snapshot.taskCounts))
    }

    /// A status in its colour; `live` marks the run's own, which a live page updates.
    public static func badge(_ status: String, live: Bool = false) -> HTML {
        "<span class=\"badge state-\(status)\"\(live ? " data-live=\"status\"" as HTML : .empty)>\(status)</span>"
    }

    /// `15 tasks: 14 completed, 1 failed`.
    public static func taskLine(_ counts: TaskCounts) -> String {
        let total = counts.values.reduce(0, +)
        let parts = TaskStatus.allCases.compactMap { status in counts[status].map { "\(DisplayFormat.count($0)) \(status.rawValue)" } }
        return "\(DisplayFormat.count(total)) task\(total == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    public static func tags(_ tags: [String]) -> HTML {
        guard !tags.isEmpty else { return .empty }
        return "<ul class=\"tags\">\(tags.map { "<li class=\"tag\">\($0)</li>" as HTML })</ul>"
    }

    public static func graph(_ snapshot: RunSnapshot, links: some PageLinks) -> HTML {
        let svg = GraphSVG.render(snapshot.graph, states: snapshot.stepStates) { links.step($0, of: snapshot.run) }
        return section("graph", "Graph", "<div class=\"figure\" data-live=\"graph\">\(svg)</div>")
    }

    public static func timeline(_ snapshot: RunSnapshot) -> HTML {
        section("timeline", "Timeline", "<div class=\"figure\" data-live=\"timeline\">\(TimelineSVG.render(snapshot))</div>")
    }

    public static func params(_ run: RunRecord) -> HTML {
        let values = run.params.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        return section("params", "Params", values.isEmpty ? "<p class=\"quiet\">none</p>" : valueTable(values))
    }

    /// Names, types, sizes and reprs; `extra` adds a last cell to each row (a preview).
    public static func valueTable(_ values: [(name: String, value: ArtifactRef)], extra: (String, ArtifactRef) -> HTML = { _, _ in .empty }) -> HTML {
        let rows = values.map { name, value -> HTML in
            """
            <tr><td class="name">\(name)</td><td><code>\(value.type)</code></td><td class="num">\(DisplayFormat.size(value.size))</td>\
            <td><code class="repr">\(value.repr)</code>\(extra(name, value))</td></tr>
            """
        }
        return "<table class=\"values\"><thead><tr><th>name</th><th>type</th><th>size</th><th>repr</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    /// The artifacts the steps' `report:` names, each with its task; `preview` adds what shows
    /// it. Empty when no step names any.
    public static func reported(_ artifacts: [ArtifactRecord], of snapshot: RunSnapshot, links: some PageLinks,
                                preview: (ArtifactRecord) -> HTML) -> HTML {
        guard snapshot.reportedNames > 0 else { return .empty }
        let table = reportedTable(artifacts, of: snapshot, links: links, preview: preview)
        return section("reported", "Reported", "<div data-live=\"reported\">\(table)</div>")
    }

    /// What the `reported` section holds, which a live page replaces as the run goes on.
    static func reportedTable(_ artifacts: [ArtifactRecord], of snapshot: RunSnapshot, links: some PageLinks,
                              preview: (ArtifactRecord) -> HTML) -> HTML {
        guard !artifacts.isEmpty else { return "<p class=\"quiet\">none of the artifacts the steps' report names is stored yet</p>" }
        let tasks = Dictionary(snapshot.tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = artifacts.map { artifact -> HTML in
            let task = tasks[artifact.task]
            let label = task?.path ?? "task \(artifact.task.description)"
            let name: HTML = task.flatMap { links.task($0, of: snapshot.run) }.map { "<a href=\"\($0)\">\(label)</a>" } ?? "\(label)"
            let value = artifact.value
            return """
                <tr><td class="name">\(name)</td><td class="name">\(artifact.name)</td><td><code>\(value.type)</code></td>\
                <td class="num">\(DisplayFormat.size(value.size))</td><td><code class="repr">\(value.repr)</code>\(preview(artifact))</td></tr>
                """
        }
        let more: HTML = artifacts.count >= RunSnapshot.reportedLimit
            ? "<p class=\"quiet\">at most \(RunSnapshot.reportedLimit) are listed</p>" : .empty
        return """
            <table class="values"><thead><tr><th>task</th><th>name</th><th>type</th><th>size</th><th>repr</th></tr></thead>\
            <tbody>\(rows)</tbody></table>\(more)
            """
    }

    public static func environments(_ environments: [RunEnvironmentRecord]) -> HTML {
        guard !environments.isEmpty else { return section("environments", "Environments", "<p class=\"quiet\">none recorded</p>") }
        let items = environments.map { environment -> HTML in
            let packages = (environment.packages ?? [:]).sorted { $0.key < $1.key }
            let list: HTML = packages.isEmpty ? .empty : """
                <details><summary>\(packages.count) packages</summary><table class="packages">\
                \(packages.map { "<tr><td>\($0.key)</td><td>\($0.value)</td></tr>" as HTML })</table></details>
                """
            let facts: [(String, HTML)] = [
                ("kind", "\(environment.kind.rawValue)"), ("where", "<code>\(environment.location ?? environment.pythonExecutable ?? "python3 on PATH")</code>"),
                ("python", "\(environment.pythonVersion ?? "?")"), ("steps", "\(environment.steps.joined(separator: ", "))"),
                ("requirements", "\(environment.requirements.isEmpty ? "—" : environment.requirements.joined(separator: ", "))"),
                ("build", "\(environment.built ? "built by this run" + (environment.buildSeconds.map { " in " + DisplayFormat.duration(seconds: $0) } ?? "") : "reused")"),
            ]
            return "<div class=\"environment\">\(definitions(facts))\(list)</div>"
        }
        return section("environments", "Environments", "\(items)")
    }

    static func definitions(_ facts: [(String, HTML)]) -> HTML {
        "<dl class=\"facts\">\(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" as HTML })</dl>"
    }

    public static func section(_ id: String, _ title: String, _ body: HTML) -> HTML {
        "<section id=\"\(id)\"><h2>\(title)</h2>\(body)</section>"
    }
}
