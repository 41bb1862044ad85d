import FlowBasics
import FlowGraph
import FlowSpec
import Testing

/// Graph and data-flow findings on specs read from YAML, positions as a user sees them.
@Suite struct LoadedSpecTests {
    private func lint(_ yaml: String) -> [String] {
        let loaded = SpecLoader.load(text: yaml, file: "flow.yaml")
        #expect(loaded.diagnostics.isEmpty, "the loader reports nothing: \(loaded.diagnostics.map(\.message))")
        guard let spec = loaded.spec else { return ["no spec"] }
        return LintedGraph(spec: spec).findings.map {
            "\($0.span.start.line):\($0.span.start.column)-\($0.span.end.line):\($0.span.end.column) \($0.code.id) \($0.message)"
                + ($0.hint.map { " | \($0)" } ?? "")
        }
    }

    @Test func theSpecExample() {
        let findings = lint("""
            flowspec: 1
            name: MovieStats
            steps:
              start:
                run: movies.py:load
                outputs: [movies, genres]
                next: per_genre
              per_genre:
                foreach: genre
                run: movies.py:stats
                args: {genre: item}
                outputs: stats
                next: combine
              combine:
                join: true
                run: movies.py:combine
                args: {all_stats: inputs.stats}
                outputs: table
                next: end
              end:
                run: movies.py:report
            """)
        #expect(findings == [
            "9:14-9:19 FS0203 step 'per_genre' iterates over 'genre', which no earlier step produces"
                + " | did you mean 'genres' (produced by 'start')?",
        ])
    }

    @Test func graphFindingsPointAtTheirEntries() {
        let findings = lint("""
            flowspec: 1
            name: Broken
            steps:
              start:
                run: m:start
                next: [left, rigth]
              left:
                run: m:left
                next: [end, end]
              right:
                run: m:right
                next: left
              end:
                join: true
                run: m:end
                max_iterations: 3
            """)
        #expect(findings == [
            "6:18-6:23 FS0301 step 'start' lists 'rigth' in 'next', but no step is named 'rigth' | did you mean 'right'?",
            "9:17-9:20 FS0314 step 'left' lists 'end' twice in 'next' | remove the second 'end'",
            "16:21-16:22 FS0312 step 'end' sets 'max_iterations' but no switch case of it loops back"
                + " | remove 'max_iterations' from 'end', or loop back with a 'switch' case",
        ])
    }

    @Test func loopsAndJoins() {
        let findings = lint("""
            flowspec: 1
            name: Loops
            steps:
              start:
                run: m:start
                outputs: [items, ok]
                switch:
                  on: ok
                  cases: {retry: start, go: fan}
              fan:
                next: [a, b]
              a:
                run: m:a
                outputs: x
                next: end
              b:
                run: m:b
                outputs: x
                next: end
              end:
                run: m:end
                args: {x: x}
            """)
        #expect(findings == [
            "9:22-9:27 FS0311 switch case 'retry' of step 'start' loops back to 'start', but 'start' sets no 'max_iterations'"
                + " | add 'max_iterations: N' to 'start' to bound the loop",
            "20:3-20:6 FS0306 step 'end' is reached from different branches ('a' and 'b') but is not a join"
                + " | add 'join: true' to 'end'",
        ])
    }
}
