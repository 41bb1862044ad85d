import FlowBasics
import FlowStore
import Testing
@testable import FlowReport

@Suite struct ReportTests {
    static let hostile = "<script>alert('x')</script><img src=x onerror=\"alert(1)\">"

    func report(_ fixture: RunFixture, _ run: RunID) throws -> String {
        let reader = try fixture.reader
        let record = try reader.run(run.rawValue)
        let snapshot = try RunSnapshot.load(record, from: reader)
        let data = try reader.runArtifacts(of: run).map { Array($0.values) } ?? []
        let failed = try snapshot.tasks.filter { $0.status == .failed }.map { try TaskDetail.load($0, from: reader) }
        return RunReport(snapshot: snapshot, data: data, failed: failed).html().markup
    }

    @Test func aFailedRunShowsItsGraphTimelineAndTheTraceback() throws {
        let fixture = try RunFixture()
        let error = AttemptError(kind: "exception", type: "builtins.ValueError", message: "bad item 1",
                                 traceback: "Traceback (most recent call last):\n  File \"steps.py\", line 3, in each\nValueError: bad item 1")
        let run = try fixture.run(count: 3, failing: 1, error: error)
        let html = try report(fixture, run)
        for step in ["start", "each", "join", "end"] { #expect(html.contains("data-step=\"\(step)\""), "step \(step) is drawn") }
        #expect(html.contains("class=\"step state-failed\" data-step=\"each\""))
        #expect(html.contains("class=\"step state-not-run\" data-step=\"join\""))
        #expect(html.contains("File &quot;steps.py&quot;, line 3, in each"))
        #expect(html.contains("ValueError: bad item 1"))
        #expect(html.contains("class=\"timeline\""))
        #expect(html.contains("each/1 attempt 1: failed"))
    }

    @Test func everythingUserControlledIsEscaped() throws {
        let fixture = try RunFixture()
        let error = AttemptError(kind: "exception", type: "builtins.ValueError", message: Self.hostile, traceback: Self.hostile)
        let long = String(repeating: "x", count: 300_000)
        let params = ["title": fixture.value("t", repr: Self.hostile, type: "builtins.str")]
        let failedRun = try fixture.run(count: 2, failing: 0, error: error, tags: [Self.hostile], params: params,
                                        stdout: Self.hostile + "\n" + long)
        let completed = try fixture.run(outputName: Self.hostile)
        for html in [try report(fixture, failedRun), try report(fixture, completed)] {
            #expect(!html.contains("<script"), "no script element, nor a hostile one")
            #expect(!html.contains("<img src=x"))
            #expect(!html.contains("onerror=\""))
        }
        let html = try report(fixture, failedRun)
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
        #expect(html.contains("in the middle left out"), "a 300 kB line is cut to what a page can show")
    }

    @Test func theReportFetchesNothing() throws {
        let fixture = try RunFixture()
        let html = try report(fixture, try fixture.run())
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"))
        for attribute in ["src=\"", "href=\""] {
            for piece in html.components(separatedBy: attribute).dropFirst() {
                #expect(piece.hasPrefix("#") || piece.hasPrefix("data:"), "\(attribute)\(piece.prefix(40))")
            }
        }
        let urls = html.components(separatedBy: "url(").dropFirst()
        #expect(urls.allSatisfy { $0.hasPrefix("#") }, "only references within the document")
        #expect(!html.contains("@import"))
    }
}
