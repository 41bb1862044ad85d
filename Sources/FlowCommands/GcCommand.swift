import ArgumentParser
import FlowBasics
import FlowStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct GcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete old runs, and the stored values and environments no kept run uses.",
        discussion: """
            Deletes the runs the options select, then every blob (stored value, code file, \
            spilled output) and every environment built for `python.requirements` that no kept \
            run names; blobs are shared by all runs and flows, so one a kept run also names \
            stays. A run is deleted only when every option given selects it; with neither \
            --keep-last nor --older-than no run is, and gc removes only what no run names (what \
            a killed run or gc left). Prints what it deleted and the bytes it freed.

            Never deleted: a run that is running (its scheduler alive), the runs a kept run \
            resumed or took tasks from (it reads their values and code), a blob a running run \
            may be about to record (modified since the earliest running run began), and an \
            environment being built. A run that starts while gc deletes runs and \
            environments waits for it.

            Killed at any moment, gc leaves a store every command reads as before: each run's \
            records are deleted in one transaction, before any file, and a file only once no \
            record names it; the next gc removes what is left.

            Examples:
              flowspec gc --keep-last 10
              flowspec gc --older-than 30d --flow MovieStats
              flowspec gc --keep-last 5 --older-than 12h --dry-run

            Exit status: 0, 1 for a missing, unreadable or read-only store or an unknown flow, \
            2 wrong usage.
            """)

    @Option(name: .customLong("keep-last"), help: ArgumentHelp(
        "Keep the newest N runs of each flow.", valueName: "n"))
    var keepLast: Int?

    @Option(name: .customLong("older-than"), help: ArgumentHelp(
        "Delete only runs that began longer ago than this: 30d, 12h, 90m, 45s.", valueName: "duration"))
    var olderThan: String?

    @Option(help: ArgumentHelp("Only runs of this flow.", valueName: "flow"))
    var flow: String?

    @Flag(name: .customLong("dry-run"), help: "Change nothing: list the runs gc would delete and what it would free.")
    var dryRun = false

    @Flag(help: "Print what was deleted as a JSON object.")
    var json = false

    @OptionGroup var store: StoreOption

    func validate() throws {
        if let keepLast, keepLast < 0 { throw ValidationError("--keep-last must be 0 or more") }
        if let olderThan, Duration(parsing: olderThan) == nil {
            throw ValidationError("--older-than '\(olderThan)' is not a duration; write a number and a unit: 30d, 12h, 90m, 45s")
        }
    }

    func run() throws {
        let request = CollectionRequest(keepLast: keepLast, startedBefore: startedBefore, flow: flow, dryRun: dryRun)
        if let flow { try requireFlow(flow) }
        let report: CollectionReport
        do {
            report = try StoreCollector.collect(store: store.resolved, request) {
                Terminal.writeError("waiting for a run that is starting in \(store.resolved) to record itself…\n")
            }
        } catch StoreError.readOnly(let path, let reason) {
            throw ReadingContext.failure("the store at '\(path)' cannot be written (\(reason)): gc deletes from it",
                                         hint: "`flowspec gc --dry-run` only reads: it shows what gc would delete")
        } catch {
            throw ReadingContext.failure("\(error)")
        }
        Terminal.write(json ? ReadingFormat.json(GcReport.json(report)) : GcReport.text(report))
    }

    /// When a run must have begun to be deleted: --older-than before now.
    private var startedBefore: Timestamp? {
        guard let olderThan, let duration = Duration(parsing: olderThan) else { return nil }
        return Timestamp(Date().timeIntervalSince1970 * 1000) - Timestamp(duration.seconds * 1000)
    }

    /// An unknown `--flow` is an error naming the store's flows, not a gc that deletes nothing.
    private func requireFlow(_ flow: String) throws {
        let context = try ReadingContext(store)
        let flows = try context.read { try context.reader.flows().map(\.name) }
        guard !flows.contains(flow) else { return }
        throw ReadingContext.failure("no flow '\(flow)' in the store at '\(context.storePath)'", hint:
            NearestNames.hint(for: flow, among: flows) ?? (flows.isEmpty ? "the store has no runs" : "its flows are \(quotedList(flows))"))
    }
}
