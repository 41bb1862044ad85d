import ArgumentParser
import FlowSpec

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the spec format.",
        discussion: """
            Point your editor at it for completion and checking as you type, e.g. with the YAML \
            language server: `# yaml-language-server: $schema=flowspec.schema.json` at the top of \
            a spec, after `flowspec schema > flowspec.schema.json`. The schema checks keys and \
            types; `flowspec lint` checks everything else (the graph, the data flow).
            """)

    func run() throws {
        Terminal.write(SpecSchema.json + "\n")
    }
}
