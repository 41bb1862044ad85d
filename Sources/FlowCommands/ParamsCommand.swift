import ArgumentParser
import FlowBasics
import FlowSpec

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "List a spec's params: name, type, default, choices and help.",
        discussion: """
            Values are shown as `flowspec run SPEC -p NAME=VALUE` takes them (a json param's as \
            JSON); a param without a default is required. `flowspec run SPEC --help` lists them \
            too. A spec with errors is not read: its findings are printed as `flowspec lint` \
            prints them, and the exit status is 1.

            Examples:
              flowspec params flow.yaml
              flowspec params flow.yaml --json | jq -r '.[] | select(.required) | .name'
            """)

    @Argument(help: "The spec.")
    var spec: String

    @Flag(help: "Print a JSON array, one object a param: {name, type, binary, required, default, choices, help}.")
    var json = false

    func run() throws {
        let parsed = try Self.check(spec)
        Terminal.write(json ? ReadingFormat.json(ParamsTable.json(parsed)) : ParamsTable.text(parsed, color: Terminal.wantsColor(fileDescriptor: 1)))
    }

    /// The spec, checked as `lint` checks it; its findings go to stderr, and errors end the
    /// command with status 1.
    static func check(_ path: String) throws -> Spec {
        let check = SpecCheck(path: path)
        let renderer = TextRenderer(sources: check.loaded.source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(check.diagnostics))
        guard let parsed = check.spec, !check.diagnostics.hasErrors else {
            Terminal.writeError("\(path): \(counted(check.errorCount, "error")); fix them to read its params\n")
            throw CommandFailure.specFailed
        }
        return parsed
    }
}
