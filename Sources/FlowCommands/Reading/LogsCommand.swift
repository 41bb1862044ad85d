import ArgumentParser
import FlowBasics
import FlowStore

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print what a task printed.",
        discussion: """
            The task's captured stdout goes to stdout and its stderr to stderr, as it printed \
            them. For a foreach step without TASK, every task's output in order, each line \
            prefixed with `[STEP/TASK] `. A reused task shows the output of the task it reused. \
            TASK is written as for `flowspec inspect` (`per_genre/3`, `inner/2.0`, `refine/#1`).

            Examples:
              flowspec logs latest/start
              flowspec logs MovieStats/latest/per_genre/3 --attempt 1
              flowspec logs MovieStats/latest/per_genre 2>&1 | grep Drama

            --json prints one array of {task, attempt, stdout, stderr} for scripts.

            Exit status: 0, or 1 for an unknown run, step, task or attempt.
            """)

    @Argument(help: ArgumentHelp("The task.", valueName: "run/step[/task]"))
    var target: String

    @Option(help: "Which attempt, from 1 (default: the last).")
    var attempt: Int?

    @Flag(help: "Print JSON: an array of {task, attempt, stdout, stderr}.")
    var json = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let context = try ReadingContext(store)
        let (run, rest) = try context.resolve(target)
        guard (1...2).contains(rest.count) else {
            throw ReadingContext.failure("logs takes RUN/STEP or RUN/STEP/TASK, not '\(target)'", status: 2)
        }
        let step = try context.step(rest[0], of: run)
        let tasks = try context.tasks(rest.count == 2 ? rest[1] : nil, of: step, in: run)
        if json {
            let records = try tasks.compactMap { task -> JSONValue? in
                guard let chosen = try attempt(of: task, context: context) else { return nil }
                return .object(["task": .string(task.path), "attempt": .int(chosen.number),
                                "stdout": .string(chosen.stdout), "stderr": .string(chosen.stderr)])
            }
            Terminal.write(ReadingFormat.json(.array(records)))
            return
        }
        let prefixed = tasks.count > 1 || tasks.contains { !$0.index.isEmpty } && rest.count == 1
        var printed = false
        for task in tasks {
            guard let chosen = try attempt(of: task, context: context) else { continue }
            let prefix = prefixed ? "[\(task.path)] " : ""
            Terminal.write(prefixed ? ReadingFormat.indented(chosen.stdout, prefix) : chosen.stdout)
            Terminal.writeError(prefixed ? ReadingFormat.indented(chosen.stderr, prefix) : chosen.stderr)
            printed = printed || !chosen.stdout.isEmpty || !chosen.stderr.isEmpty
        }
        if !printed, Terminal.wantsColor(fileDescriptor: 2) {
            Terminal.writeError("(\(tasks[0].path)\(tasks.count > 1 ? " and the rest" : "") printed nothing)\n")
        }
    }

    /// The attempt to show: the one asked for, else the last; a reused task's come from its origin.
    private func attempt(of task: TaskRecord, context: ReadingContext) throws -> AttemptRecord? {
        var attempts = try context.read { try context.reader.attempts(of: task.id) }
        var source = task
        while attempts.isEmpty, let origin = source.originTask {
            source = try context.read { try context.reader.task(origin) }
            attempts = try context.read { try context.reader.attempts(of: source.id) }
        }
        guard let attempt else { return attempts.last }
        if let found = attempts.first(where: { $0.number == attempt }) { return found }
        throw ReadingContext.failure("task '\(task.path)' has no attempt \(attempt)",
                                     hint: attempts.isEmpty ? "it never ran" : "it has \(counted(attempts.count, "attempt")), from 1")
    }
}
