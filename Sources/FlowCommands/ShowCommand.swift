import ArgumentParser
import FlowBasics
import FlowGraph

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Draw a spec's graph.",
        discussion: """
            text prints an outline for the terminal; dot is Graphviz \
            (`flowspec show flow.yaml --format dot | dot -Tsvg > flow.svg`); mermaid pastes into \
            Markdown on GitHub; json is for scripts. A spec with errors is not drawn: its \
            findings are printed as `flowspec lint` prints them, and the exit status is 1.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, dot, mermaid, json
    }

    @Argument(help: "The spec to draw.")
    var spec: String

    @Option(help: "Output format: text, dot, mermaid or json.")
    var format: Format = .text

    func run() throws {
        let check = SpecCheck(path: spec)
        let renderer = TextRenderer(sources: check.loaded.source.map { [$0] } ?? [],
                                    color: Terminal.wantsColor(fileDescriptor: 2))
        // Warnings go to stderr so they never mix with a graph piped into another tool.
        Terminal.writeError(renderer.render(check.diagnostics))
        guard let graph = check.lint?.graph, !check.diagnostics.hasErrors else {
            Terminal.writeError("\(spec): \(counted(check.errorCount, "error")); fix them to draw the graph\n")
            throw CommandFailure.specFailed
        }
        switch format {
        case .text: Terminal.write(GraphRenderer.text(graph))
        case .dot: Terminal.write(GraphRenderer.dot(graph))
        case .mermaid: Terminal.write(GraphRenderer.mermaid(graph))
        case .json: Terminal.write(GraphRenderer.json(graph))
        }
    }
}
