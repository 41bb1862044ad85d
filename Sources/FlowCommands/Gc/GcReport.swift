import FlowBasics
import FlowStore

/// What `gc` prints: a few lines (with `--dry-run`, the runs it would delete first), or a
/// JSON object with `--json`.
enum GcReport {
    static func text(_ report: CollectionReport) -> String {
        let (delete, free) = report.dryRun ? ("would delete", "would free") : ("deleted", "freed")
        let listed = report.dryRun ? report.deletedRuns.map(line) : []
        var lines = ["\(delete) \(counted(report.deletedRuns.count, "run"))\(byFlow(report.deletedRuns)), "
            + "keeping \(counted(report.keptRuns, "run"))" + (listed.isEmpty ? "" : ":")] + listed
        if !report.keptRunning.isEmpty {
            let verb = report.keptRunning.count == 1 ? "is" : "are"
            lines.append("kept \(counted(report.keptRunning.count, "selected run")) that \(verb) running: \(names(report.keptRunning))")
        }
        if !report.keptReused.isEmpty {
            lines.append("kept \(counted(report.keptReused.count, "selected run")) that kept runs reuse: \(names(report.keptReused))")
        }
        var freed = "\(free) \(counted(report.blobs, "blob")) (\(space(report.blobSpace)))"
        if report.previews > 0 { freed += ", \(counted(report.previews, "cached preview")) (\(space(report.previewSpace)))" }
        if !report.environments.isEmpty {
            freed += " and \(counted(report.environments.count, "environment")) (\(space(report.environmentSpace)))"
        }
        lines.append(freed)
        if report.blobsSpared > 0 {
            let them = report.blobsSpared == 1 ? "it" : "them"
            lines.append("left \(counted(report.blobsSpared, "blob")) no run names yet: a run may be about to record \(them)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ report: CollectionReport) -> JSONValue {
        let ids = { (runs: [RunRecord]) in JSONValue.array(runs.map { .string("\($0.flow)/\($0.id)") }) }
        return .object([
            "dry_run": .bool(report.dryRun), "deleted_runs": ids(report.deletedRuns), "kept_runs": .int(report.keptRuns),
            "kept_running": ids(report.keptRunning), "kept_reused": ids(report.keptReused),
            "blobs": .int(report.blobs), "blob_bytes": .int(Int(report.blobSpace.bytes)),
            "blob_disk_bytes": .int(Int(report.blobSpace.disk)), "blobs_left": .int(report.blobsSpared),
            "previews": .int(report.previews), "preview_bytes": .int(Int(report.previewSpace.bytes)),
            "environments": .array(report.environments.map(JSONValue.string)),
            "environment_bytes": .int(Int(report.environmentSpace.bytes)),
            "environment_disk_bytes": .int(Int(report.environmentSpace.disk)),
        ])
    }

    /// `2.3 MiB, 176.5 MiB on disk`: the files' bytes, and the disk blocks they took.
    private static func space(_ space: FileSpace) -> String {
        "\(ReadingFormat.size(space.bytes)), \(ReadingFormat.size(space.disk)) on disk"
    }

    /// `  Flow/ID  completed  2026-11-21 14:03:07`: a run a dry run would delete.
    private static func line(_ run: RunRecord) -> String {
        "  \(run.flow)/\(run.id)  \(run.status.rawValue)  \(ReadingFormat.localTime(run.createdAt))"
    }

    /// ` (MovieStats 3, Other 1)`; nothing for no runs.
    private static func byFlow(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "" }
        let counts = Dictionary(grouping: runs, by: \.flow).mapValues(\.count).sorted { $0.key < $1.key }
        return " (" + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// The first five runs' names, and how many more.
    private static func names(_ runs: [RunRecord]) -> String {
        let shown = runs.prefix(5).map { "\($0.flow)/\($0.id)" }.joined(separator: ", ")
        return runs.count > 5 ? shown + " and \(runs.count - 5) more" : shown
    }
}
