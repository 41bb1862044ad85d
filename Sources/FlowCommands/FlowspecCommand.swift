import ArgumentParser
import FlowBasics
import Glibc

/// The root `flowspec` command: its subcommands, and the exit statuses of docs/spec.md
/// (0 success, 1 the flow or the spec failed, 2 wrong usage).
public struct FlowspecCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flowspec",
        abstract: "Run data-science workflows declared in YAML or JSON specs.",
        discussion: """
            A spec names Python functions and how data flows between them; flowspec checks it \
            with exact file:line:column findings, draws its graph, and runs it, keeping every \
            value each step returns in a versioned store.

            Start with `flowspec lint flow.yaml`, `flowspec show flow.yaml`, then \
            `flowspec run flow.yaml`.
            """,
        version: flowspecVersion,
        subcommands: [RunCommand.self, ResumeCommand.self, PlanCommand.self, ExplainCommand.self, StepCommand.self, LintCommand.self, ShowCommand.self, SchemaCommand.self, WorkerCommand.self, TaskJobCommand.self, PilotJobCommand.self,
                      RunsCommand.self, InspectCommand.self, LogsCommand.self, GetCommand.self, TagCommand.self, ParamsCommand.self, CodeCommand.self,
                      GcCommand.self, ReportCommand.self, UICommand.self]
    )

    public init() {}

    private static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }

    /// Parses the command line, runs the command and exits with docs/spec.md's status codes.
    public static func runAndExit() -> Never {
        if let status = RunHelp.answer(Array(CommandLine.arguments.dropFirst())) { Self.exit(status) }
        do {
            var command = try parseAsRoot()
            try command.run()
            Self.exit(0)
        } catch let failure as CommandFailure {
            Self.exit(failure.status)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                print(fullMessage(for: error))
                Self.exit(0)
            }
            let message = fullMessage(for: error)
            Terminal.writeError(message + "\n")
            // ArgumentParser reports usage mistakes as 64; docs/spec.md promises 2.
            Self.exit(status == .validationFailure ? 2 : status.rawValue)
        }
    }
}

/// Thrown by a command that has already reported what went wrong and only needs to exit.
public struct CommandFailure: Error {
    public let status: Int32

    public static let specFailed = CommandFailure(status: 1)
    public static let usage = CommandFailure(status: 2)
}
