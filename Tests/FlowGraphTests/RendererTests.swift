import Foundation
import FlowBasics
import FlowGraph
import FlowSpec
import Testing

/// `flowspec show`: every format, on a graph with a branch, a foreach, a switch and a loop.
@Suite struct RendererTests {
    private var graph: StepGraph {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", outputs: "[movies, genres]", next: ["per_genre", "summary"])
        b.step("per_genre", foreach: "genres", outputs: "stats", next: ["combine"], args: ["genre": "item"])
        b.step("combine", join: true, outputs: "table", next: ["both"], args: ["all": "inputs.stats"])
        b.step("summary", next: ["both"])
        b.step("both", join: true, outputs: "ok", switchOn: "ok", cases: ["again": "start", "done": "end"], maxIterations: 2)
        b.step("end", run: false)
        b.step("orphan", next: ["end"])
        return StepGraph(spec: b.spec)
    }

    @Test func text() {
        #expect(GraphRenderer.text(graph) == """
            Flow: 7 steps

            start  run flow.py:start, outputs [movies, genres]
              -> per_genre, summary
                per_genre  foreach genres, run flow.py:per_genre, outputs stats
                  -> combine
              combine  join, run flow.py:combine, outputs table
                -> both
              summary  run flow.py:summary
                -> both
            both  join, switch on ok, run flow.py:both, outputs ok, max_iterations 2
              -> again: start (loop), done: end
            end
            orphan  run flow.py:orphan, unreachable
              -> end

            """)
    }

    @Test func mermaid() {
        #expect(GraphRenderer.mermaid(graph) == """
            flowchart TD
                step_start["start<br/>flow.py:start"]
                step_per_genre[["per_genre<br/>foreach genres<br/>flow.py:per_genre"]]
                step_combine["combine<br/>join<br/>flow.py:combine"]
                step_summary["summary<br/>flow.py:summary"]
                step_both{"both<br/>join<br/>switch on ok<br/>flow.py:both"}
                step_end["end"]
                step_orphan["orphan<br/>flow.py:orphan"]
                step_start --> step_per_genre
                step_start --> step_summary
                step_per_genre --> step_combine
                step_combine --> step_both
                step_summary --> step_both
                step_both -.->|"again"| step_start
                step_both -->|"done"| step_end
                step_orphan --> step_end

            """)
    }

    @Test func dotIsAcceptedByGraphviz() throws {
        let dot = GraphRenderer.dot(graph)
        #expect(dot.hasPrefix("digraph \"Flow\" {\n"))
        #expect(dot.contains("  \"both\" -> \"start\" [label=\"again\", style=dashed, constraint=false];\n"))
        #expect(dot.contains("  \"per_genre\" [label=\"per_genre\\nforeach genres\\nflow.py:per_genre\", peripheries=2];\n"))
        // scripts/install-deps.sh installs Graphviz.
        let tool = try #require(["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "Graphviz's dot is not installed; run scripts/install-deps.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "dot rejected the graph: \(problems)")
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
    }

    @Test func dotEscapesQuotes() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", switchOn: "mode", cases: ["say \"hi\"": "end", "a\\b": "end"])
        b.step("end")
        let dot = GraphRenderer.dot(StepGraph(spec: b.spec))
        #expect(dot.contains("[label=\"say \\\"hi\\\"\"]"))
        #expect(dot.contains("[label=\"a\\\\b\"]"))
    }

    @Test func json() throws {
        let text = GraphRenderer.json(graph)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["name"] as? String == "Flow")
        let steps = try #require(document["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["start", "per_genre", "combine", "summary", "both", "end", "orphan"])
        #expect(steps[1]["foreach"] as? String == "genres")
        #expect(steps[1]["depth"] as? Int == 2)
        #expect(steps[0]["outputs"] as? [String] == ["movies", "genres"])
        #expect(steps[0]["next"] as? [String] == ["per_genre", "summary"])
        #expect(steps[5]["run"] is NSNull)
        #expect(steps[6]["reachable"] as? Bool == false)
        let choice = try #require(steps[4]["switch"] as? [String: Any])
        #expect(choice["on"] as? String == "ok")
        let edges = try #require(document["edges"] as? [[String: Any]])
        #expect(edges.map { "\($0["from"]!)>\($0["to"]!):\($0["kind"]!):\($0["label"]!)" } == [
            "start>per_genre:branch:0", "start>summary:branch:1", "per_genre>combine:next:<null>",
            "combine>both:next:<null>", "summary>both:next:<null>", "both>start:loop:again", "both>end:case:done",
            "orphan>end:next:<null>",
        ])
        #expect(text == GraphRenderer.json(graph), "the document is stable")
    }
}
