import Foundation
import Testing

@Suite struct ShowCommandTests {
    @Test func drawsAnOutlineOfEveryStep() throws {
        let outcome = try flowspec(["show", "examples/movies/movies.yaml"])
        #expect(outcome.status == 0)
        for step in ["start", "per_genre", "combine", "end"] {
            #expect(outcome.stdout.contains(step), "\(step) missing from:\n\(outcome.stdout)")
        }
        #expect(outcome.stdout.contains("foreach genres"))
    }

    @Test func drawsGraphviz() throws {
        let outcome = try flowspec(["show", "examples/movies/movies.yaml", "--format", "dot"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("digraph"))
        #expect(outcome.stdout.contains("->"))
    }

    @Test func drawsMermaid() throws {
        let outcome = try flowspec(["show", "examples/movies/movies.yaml", "--format", "mermaid"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("flowchart TD"))
    }

    @Test func printsTheGraphAsJSON() throws {
        let outcome = try flowspec(["show", "examples/movies/movies.yaml", "--format", "json"])
        #expect(outcome.status == 0)
        let graph = try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(graph["name"] as? String == "MovieStats")
        let steps = try #require(graph["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["name"] as? String } == ["start", "per_genre", "combine", "end"])
        let edges = try #require(graph["edges"] as? [[String: Any]])
        #expect(edges.count == 3)
    }

    @Test func refusesToDrawASpecWithErrors() throws {
        let outcome = try flowspec(["show", "specs/invalid/FS0302-cycle.yaml"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("error[FS0302]"))
        #expect(outcome.stderr.contains("fix them to draw the graph"))
    }
}
