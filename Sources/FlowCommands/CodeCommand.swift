import ArgumentParser
import FlowBasics
import FlowStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "List a run's code snapshot, or write it to a folder to run it again.",
        discussion: """
            A run keeps the code it ran: its spec, each `.py` file and notebook a step's `run` \
            names, and the source of each module one names with its packages' `__init__.py`, at \
            their paths relative to the spec's folder. Without -o, lists them; with -o DIR, \
            writes them into DIR (a new or empty folder), so that `flowspec run DIR/SPEC` runs \
            that code again. Files from above the spec's folder (a `python.path: [../lib]`) are \
            written where the spec finds them, under the spec's own parent folders \
            (DIR/flow/spec.yaml and DIR/lib/…). A `file` param's file is data, not code, but the \
            run kept what it read as the param's value: that is written at the param's default \
            path, so the run reads the same (one Python worker loads it, as `flowspec get` \
            does). A file a spec names by an absolute path is not written; the run's params are \
            shown by `flowspec inspect RUN`.

            Examples:
              flowspec code MovieStats/latest
              flowspec code MovieStats/20261121-221530-a1b2 -o /tmp/movies-then
              flowspec run /tmp/movies-then/movies.yaml

            Exit status: 0, or 1 for an unknown run, a folder that is not empty, or a file that \
            could not be written (a file param's default above DIR included).
            """)

    @Argument(help: ArgumentHelp("The run: FLOW/ID, an id, a unique prefix or latest.", valueName: "run"))
    var target: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the snapshot into this new or empty folder.", valueName: "dir"))
    var output: String?

    @Flag(help: "List as JSON: [{path, size, blob, module, spec}].")
    var json = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        if json && output != nil { throw ValidationError("--json and --output exclude each other") }
    }

    func run() throws {
        let context = try ReadingContext(store)
        let (record, rest) = try context.resolve(target)
        guard rest.isEmpty else { throw ReadingContext.failure("'\(target)' is not a run: the code snapshot belongs to a whole run (FLOW/ID)", status: 2) }
        let snapshot = try CodeSnapshotFiles(run: record, context: context)
        if let output {
            try snapshot.write(to: output, context: context)
        } else if json {
            Terminal.write(ReadingFormat.json(snapshot.json))
        } else {
            Terminal.write(snapshot.text(color: Terminal.wantsColor(fileDescriptor: 1)))
        }
    }
}
