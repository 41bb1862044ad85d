import FlowBasics
import FlowStore

/// Two runs side by side: their facts, then every param and every artifact of their data by
/// name, the rows whose values differ (by content: the blob's hash) marked and listed first.
public enum Comparison {
    public struct Side: Sendable {
        public var snapshot: RunSnapshot
        /// The run's data (what its end step sees), nil when its end step did not finish.
        public var data: [String: ArtifactRef]?

        public init(snapshot: RunSnapshot, data: [String: ArtifactRef]?) {
            self.snapshot = snapshot
            self.data = data
        }
    }

    public static func render(_ a: Side, _ b: Side, links: some PageLinks) -> HTML {
        let header = "<div class=\"side\">\(summary(a, links))\(summary(b, links))</div>" as HTML
        let params = table("Params", a.snapshot.run.params, b.snapshot.run.params)
        let data = table("Results", a.data ?? [:], b.data ?? [:])
        return header + params + data
    }

    private static func summary(_ side: Side, _ links: some PageLinks) -> HTML {
        let run = side.snapshot.run
        let name: HTML = links.run(run).map { "<a href=\"\($0)\">\(side.snapshot.name)</a>" } ?? "\(side.snapshot.name)"
        return """
            <div><h2>\(name)</h2>\(RunSections.definitions([
                ("status", RunSections.badge(side.snapshot.status.rawValue)), ("started", "\(DisplayFormat.utcTime(run.createdAt))"),
                ("duration", "\(DisplayFormat.duration(milliseconds: side.snapshot.end - run.createdAt))"),
                ("tasks", "\(RunSections.taskLine(side.snapshot.taskCounts))"),
            ]))\(RunSections.tags(run.tags))</div>
            """
    }

    /// Names whose values differ first, then the rest; a value missing on one side differs.
    static func table(_ title: String, _ a: [String: ArtifactRef], _ b: [String: ArtifactRef]) -> HTML {
        let names = Set(a.keys).union(b.keys)
        let differing = names.filter { a[$0]?.blob != b[$0]?.blob }.sorted()
        let same = names.subtracting(differing).sorted()
        func cell(_ value: ArtifactRef?) -> HTML {
            value.map { "<td><code class=\"repr\">\($0.repr)</code> <span class=\"quiet\">\($0.type)</span></td>" } ?? "<td class=\"quiet\">absent</td>"
        }
        let rows = (differing + same).map { name -> HTML in
            "<tr\(differing.contains(name) ? " class=\"differs\"" as HTML : .empty)><td class=\"name\">\(name)</td>\(cell(a[name]))\(cell(b[name]))</tr>"
        }
        let note = "\(differing.count) of \(names.count) differ"
        let body: HTML = names.isEmpty ? "<p class=\"quiet\">none</p>"
            : "<p class=\"quiet\">\(note)</p><table class=\"compare\"><tbody>\(rows)</tbody></table>"
        return RunSections.section(title.lowercased(), title, body)
    }
}
