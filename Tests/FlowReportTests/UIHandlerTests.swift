import Foundation
import FlowBasics
import FlowStore
import Testing
@testable import FlowUI

/// FlowUI's handlers on a store written as schedulers write it, without a server between.
@Suite struct UIHandlerTests {
    func text(_ reply: Reply) -> String { String(decoding: reply.body, as: UTF8.self) }

    @Test func theRunsPageFiltersAndPages() throws {
        let fixture = try RunFixture()
        let error = AttemptError(kind: "exception", type: "builtins.ValueError", message: "no")
        _ = try fixture.run(tags: ["nightly"])
        _ = try fixture.run(count: 2, failing: 1, error: error, tags: ["nightly", "big data"])
        for _ in 0..<3 { _ = try fixture.run(count: 1) }
        var handlers = UIHandlers(storePath: fixture.path)
        let all = text(handlers.runs(Query(nil)))
        #expect(all.contains("runs 1–5 of 5"))
        let failed = text(handlers.runs(Query("status=failed")))
        #expect(failed.contains("runs 1–1 of 1"))
        #expect(failed.contains("3 tasks: 2 completed, 1 failed"))
        #expect(text(handlers.runs(Query("tag=big+data"))).contains("runs 1–1 of 1"), "a form sends a space as +")
        #expect(text(handlers.runs(Query("tag=nightly&user=ada"))).contains("runs 1–2 of 2"))
        #expect(text(handlers.runs(Query("user=bob"))).contains("no runs match"))
        handlers.runsPerPage = 2
        let second = text(handlers.runs(Query("page=1")))
        #expect(second.contains("runs 3–4 of 5"))
        #expect(second.contains("href=\"/?page=2\""), "a link to the older runs")
    }

    @Test func aRunningRunsPageAsksForItsState() throws {
        let fixture = try RunFixture()
        let done = try fixture.run()
        let running = try fixture.writer.beginRun(NewRun(flow: "Shapes"))
        try fixture.writer.recordStep(run: running, name: "start", position: 0, kind: "start")
        _ = try fixture.writer.startTask(run: running, step: "start")
        let handlers = UIHandlers(storePath: fixture.path)
        #expect(text(handlers.run(running.rawValue, Query(nil))).contains("data-live-source=\"/runs/\(running)/live\""))
        #expect(!text(handlers.run(done.rawValue, Query(nil))).contains("data-live-source"))
        let live = text(handlers.live(running.rawValue, Query(nil)))
        #expect(live.hasPrefix("{\"running\":true,\"parts\":{\"status\":\"running\""))
        #expect(live.contains("state-running\\\" data-step=\\\"start\\\""))
        #expect(text(handlers.live(done.rawValue, Query(nil))).hasPrefix("{\"running\":false"))
    }

    @Test func whatTheStepsReportComesFirstAndUpdatesWhileTheRunGoesOn() throws {
        let fixture = try RunFixture()
        let plain = try fixture.run()
        let running = try fixture.writer.beginRun(NewRun(flow: "Shapes"))
        try fixture.writer.recordStep(run: running, name: "start", position: 0, kind: "start", report: ["items", "extra"])
        try fixture.writer.recordStep(run: running, name: "each", position: 1, kind: "foreach", report: ["value"])
        #expect(try fixture.reader.steps(of: running).map(\.report) == [["items", "extra"], ["value"]])
        let handlers = UIHandlers(storePath: fixture.path)
        #expect(!text(handlers.run(plain.rawValue, Query(nil))).contains("id=\"reported\""), "no step reports anything")
        #expect(text(handlers.live(running.rawValue, Query(nil))).contains("none of the artifacts the steps' report names is stored yet"))

        let start = try fixture.writer.startTask(run: running, step: "start")
        try fixture.writer.finishAttempt(start, .completed(["items": fixture.value("items"), "other": fixture.value("other")]))
        for index in [1, 0] {
            let each = try fixture.writer.startTask(run: running, step: "each", index: [index], parents: [start.task])
            try fixture.writer.finishAttempt(each, .completed(["value": fixture.value("v\(index)")]))
        }
        let page = text(handlers.run(running.rawValue, Query(nil)))
        let reported = try #require(page.range(of: "<section id=\"reported\">")), graph = try #require(page.range(of: "<section id=\"graph\">"))
        #expect(reported.upperBound < graph.lowerBound, "before the graph")
        let names = page[reported.upperBound..<graph.lowerBound].components(separatedBy: "<td class=\"name\"><a href=\"").dropFirst()
            .map { $0.prefix { $0 != "\"" } }
        #expect(names == ["/runs/\(running)/start", "/runs/\(running)/each/0", "/runs/\(running)/each/1"], "\(names)")
        let live = text(handlers.live(running.rawValue, Query(nil)))
        #expect(live.contains("\"reported\":") && live.contains("each/1") && !live.contains("stored yet"))
    }

    @Test func aTaskIsFoundByItsLabelAndAnUnknownOneIsNotFound() throws {
        let fixture = try RunFixture()
        let run = try fixture.run(count: 3, stdout: "<script>alert(1)</script>")
        let handlers = UIHandlers(storePath: fixture.path)
        let task = handlers.task(run: run.rawValue, step: "each", label: "2")
        #expect(task.status == 200)
        #expect(text(task).contains("<h1>each/2</h1>"))
        #expect(handlers.task(run: run.rawValue, step: "each", label: "7").status == 404)
        #expect(handlers.task(run: run.rawValue, step: "each", label: "x#").status == 404)
        #expect(handlers.task(run: "nosuch", step: "each", label: nil).status == 404)
        let start = text(handlers.task(run: run.rawValue, step: "start", label: nil))
        #expect(start.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let log = handlers.log(Query("task=1&attempt=1&stream=stdout"))
        #expect(log.type == "text/plain; charset=utf-8")
        #expect(text(log) == "<script>alert(1)</script>", "raw logs are plain text, as printed")
    }

    @Test func twoRunsSideBySideMarkWhatDiffers() throws {
        let fixture = try RunFixture()
        let a = try fixture.run(params: ["top": fixture.value("3"), "genre": fixture.value("Drama")])
        let b = try fixture.run(params: ["top": fixture.value("5"), "genre": fixture.value("Drama")])
        let handlers = UIHandlers(storePath: fixture.path)
        let page = text(handlers.compare(Query("run=\(a)&run=\(b)")))
        #expect(page.contains("<tr class=\"differs\"><td class=\"name\">top</td>"))
        #expect(page.contains("<tr><td class=\"name\">genre</td>"))
        #expect(page.contains("1 of 2 differ"))
        #expect(handlers.compare(Query("run=\(a)")).status == 400)
    }

    @Test func queriesAndHostsAreReadStrictly() {
        let query = Query("a=x%20y+z&b=&c=%E2%9C%93&d=%ZZ")
        #expect(query["a"] == "x y z")
        #expect(query["b"] == nil, "an empty value is a form's 'any'")
        #expect(query["c"] == "✓")
        #expect(query["d"] == nil, "a malformed escape is no value")
        #expect(Percent.encoded("2.0#1") == "2.0%231")
        #expect(Loopback.isAuthority("127.0.0.1:8321"))
        #expect(Loopback.isAuthority("[::1]:80"))
        #expect(Loopback.isAuthority("localhost"))
        #expect(!Loopback.isAuthority("evil.example:8321"))
        #expect(!Loopback.isAuthority("127.0.0.1.evil.example"))
    }
}
