import ArgumentParser
import FlowBasics

/// `flowspec run SPEC --help`: run's help, then SPEC's params. The parser answers `--help`
/// before it reads any argument, so this looks first: the command line without its `--help`
/// must parse as a `run` with a spec, or the parser's own help is left to answer.
enum RunHelp {
    /// Prints the help and returns the status to exit with; nil when this is not such a command line.
    static func answer(_ arguments: [String]) -> Int32? {
        guard arguments.first == "run", arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }),
              let command = try? RunCommand.parse(arguments.dropFirst().filter { $0 != "--help" && $0 != "-h" }) else { return nil }
        Terminal.write(FlowspecCommand.helpMessage(for: RunCommand.self) + "\n")
        Terminal.write("PARAMS OF \(command.spec) (give each as -p NAME=VALUE):\n")
        guard let spec = try? ParamsCommand.check(command.spec) else { return 1 }
        Terminal.write(ReadingFormat.indented(ParamsTable.text(spec, color: false), "  "))
        return 0
    }
}
