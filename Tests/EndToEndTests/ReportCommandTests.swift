import Foundation
import Testing

/// `flowspec report` through the built binary, run from another folder than the store's.
@Suite struct ReportCommandTests {
    static let store: Result<(folder: URL, store: String, run: String), any Error> = Result {
        let folder = try scratchFolder("report")
        let store = folder.appendingPathComponent("store").path
        let outcome = try flowspec(["run", "examples/movies/movies.yaml", "--tag", "<b>nightly</b>", "--store", store])
        guard outcome.status == 0 else { throw ReportFixtureError(outcome.stderr) }
        return (folder, store, String(outcome.stdout.split(separator: "\n").first ?? ""))
    }

    @Test func writesTheRunAsOneFile() throws {
        let (folder, store, run) = try Self.store.get()
        let elsewhere = try scratchFolder("report-cwd")
        let outcome = try flowspec(["report", run, "--store", store, "-o", "movies.html", "--no-previews"], in: elsewhere)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("wrote the report of \(run) to movies.html"))
        let html = try String(contentsOf: elsewhere.appendingPathComponent("movies.html"), encoding: .utf8)
        for step in ["start", "per_genre", "combine", "end"] {
            #expect(html.contains("class=\"step state-completed\" data-step=\"\(step)\""), "step \(step)")
        }
        #expect(html.contains("<li class=\"tag\">&lt;b&gt;nightly&lt;/b&gt;</li>"))
        #expect(html.contains("<td class=\"name\">table</td>"), "the run's data is listed")
        #expect(html.contains("per_genre/11"), "every task is listed")
        _ = folder
    }

    @Test func theArtifactsTheStepsReportComeFirstWithTheirPreviews() throws {
        let folder = try scratchFolder("report-reported")
        try """
            def start():
                return [3, 1, 2], {"model": "ridge", "alpha": 0.5}

            def each(item):
                return item * 10

            def total(scores):
                return sum(scores)
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Reported
            steps:
              start: {run: steps.py:start, outputs: [xs, summary], report: [summary], next: each}
              each: {foreach: xs, run: steps.py:each, args: {item: item}, outputs: score, report: [score], next: join}
              join: {join: true, run: steps.py:total, args: {scores: inputs.score}, outputs: total, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        let run = try flowspec(["run", "flow.yaml", "--store", store, "-q"], in: folder)
        try #require(run.status == 0, "\(run.stderr)")
        let outcome = try flowspec(["report", "latest", "--store", store, "-o", "r.html"], in: folder)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let html = try String(contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
        let reported = try #require(html.range(of: "<section id=\"reported\">"))
        let results = try #require(html.range(of: "<section id=\"data\">"))
        let header = try #require(html.range(of: "</header>"))
        #expect(header.upperBound <= reported.lowerBound && reported.upperBound < results.lowerBound,
                "after the run's header, before everything else")
        let section = String(html[reported.upperBound..<results.lowerBound])
        let rows = section.components(separatedBy: "<tr><td class=\"name\">").dropFirst().map { row in
            row.components(separatedBy: "</td>").prefix(2).map { $0.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression) }
        }
        #expect(rows == [["start", "summary"], ["each/0", "score"], ["each/1", "score"], ["each/2", "score"]], "\(rows)")
        #expect(section.contains("<code class=\"repr\">30</code>") && section.contains("preview-tree"),
                "reprs, and the summary's preview: \(section)")
    }

    @Test func theDefaultFileIsNamedAfterTheRun() throws {
        let (_, store, run) = try Self.store.get()
        let elsewhere = try scratchFolder("report-default")
        let outcome = try flowspec(["report", "latest", "--store", store, "--no-previews"], in: elsewhere)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let name = run.replacingOccurrences(of: "/", with: "-") + ".html"
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent(name).path))
    }

    @Test func anUnknownRunOrAFolderToWriteAreErrors() throws {
        let (folder, store, _) = try Self.store.get()
        let unknown = try flowspec(["report", "nosuchrun", "--store", store, "--no-previews"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("error: no run 'nosuchrun'"))
        let onFolder = try flowspec(["report", "latest", "--store", store, "-o", folder.path, "--no-previews"])
        #expect(onFolder.status == 1)
        #expect(onFolder.stderr.contains("it exists and is not a regular file"))
    }
}

struct ReportFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
