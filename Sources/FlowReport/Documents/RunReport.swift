import FlowBasics
import FlowStore

/// `flowspec report`: one run as one self-contained HTML file. Its stylesheet and images are
/// inline and its policy forbids fetching anything, so it opens offline, from an email or a
/// pull request, exactly as it was written.
public struct RunReport: Sendable {
    public var snapshot: RunSnapshot
    /// The artifacts the steps' `report:` names, shown before everything else with their previews.
    public var reported: [ArtifactRecord] = []
    /// The run's data (what the end step sees), shown first with their previews.
    public var data: [ArtifactRecord]
    /// The failed tasks, with their attempts' errors, tracebacks and output.
    public var failed: [TaskDetail]
    /// Previews by value blob; a value without one shows its repr alone.
    public var previews: [String: ValuePreview]
    /// Why a value has no preview, by value blob.
    public var previewFailures: [String: String] = [:]
    /// Why previews are missing, when they could not be made at all.
    public var previewNote: String?

    /// A report lists at most this many tasks; the timeline still draws them all.
    public static let listedTasks = 2000

    public init(snapshot: RunSnapshot, data: [ArtifactRecord], failed: [TaskDetail], previews: [String: ValuePreview] = [:],
                previewNote: String? = nil) {
        self.snapshot = snapshot
        self.data = data
        self.failed = failed
        self.previews = previews
        self.previewNote = previewNote
    }

    /// The report of `run` as the store holds it now (without previews: a worker makes those).
    public static func load(_ run: RunRecord, from reader: StoreReader) throws -> RunReport {
        let snapshot = try RunSnapshot.load(run, from: reader)
        let data = try reader.runArtifacts(of: run.id).map { $0.values.sorted { $0.name < $1.name } } ?? []
        let failed = try snapshot.tasks.filter { $0.status == .failed }.prefix(20).map { try TaskDetail.load($0, from: reader) }
        var report = RunReport(snapshot: snapshot, data: data, failed: failed)
        report.reported = try snapshot.reported(from: reader)
        return report
    }

    public func html() -> HTML {
        let links = ReportLinks()
        let run = snapshot.run
        let note: HTML = previewNote.map { "<p class=\"quiet\">\($0)</p>" } ?? .empty
        let reportedSection = RunSections.reported(reported, of: snapshot, links: links) { preview(of: $0.value) }
        let results = data.isEmpty
            ? RunSections.section("data", "Results", "<p class=\"quiet\">the run has no data: its end step did not finish</p>")
            : RunSections.section("data", "Results", note + RunSections.valueTable(data.map { ($0.name, $0.value) }) { preview(of: $1) })
        let failures = failed.map { detail -> HTML in
            "<div id=\"task-\(detail.task.id.description)\">"
                + TaskSections.header(detail, run: run, links: links, level: 3) + TaskSections.attempts(detail, run: run, links: links) + "</div>"
        }
        let failedSection: HTML = failures.isEmpty ? .empty : RunSections.section("failed", "Failed tasks", "\(failures)")
        let tasks = TaskTable.render(snapshot, filter: TaskFilter(pageSize: Self.listedTasks), links: links)
        let body = RunSections.header(snapshot, links: links) + reportedSection + results + RunSections.graph(snapshot, links: links)
            + RunSections.timeline(snapshot) + failedSection + RunSections.params(run) + RunSections.environments(snapshot.environments)
            + RunSections.section("tasks", "Tasks", tasks)
            + "<p class=\"quiet\">written by flowspec report at \(DisplayFormat.utcTime(snapshot.readAt))</p>"
        return Page.document(title: "\(snapshot.name) — flowspec report", body: body, policy: Page.reportPolicy)
    }

    private func preview(of value: ArtifactRef) -> HTML {
        previews[value.blob].map(PreviewHTML.render) ?? previewFailures[value.blob].map(PreviewHTML.failure) ?? .empty
    }
}
