import ArgumentParser
import FlowBasics
import FlowPreviews
import FlowReport
import FlowStore
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML file of a run.",
        discussion: """
            The file shows first the artifacts the steps' `report:` names, then the run's \
            results (the artifacts its end step sees), both with their previews, then its failed tasks with their errors, tracebacks and output, \
            its graph with each step's state, a timeline of every task and attempt, its \
            params, environments and tasks. Its styles and images are inline and it fetches \
            nothing, so it opens offline: attach it to a pull request or an email.

            Previews (a data frame's first rows, an array's statistics, an image) are made by \
            a Python worker in each value's own environment; --no-previews leaves them out and \
            runs no Python.

            RUN is FLOW/ID or ID, where ID may be a unique prefix or `latest`.

            Examples:
              flowspec report latest
              flowspec report MovieStats/latest -o movies.html

            Exit status: 0, or 1 for an unknown run or a file that cannot be written.
            """)

    @Argument(help: ArgumentHelp("The run.", valueName: "run"))
    var target: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Where to write the file (default: FLOW-ID.html in the current folder).", valueName: "file"))
    var output: String?

    @Flag(help: "Leave out previews of values: run no Python.")
    var noPreviews = false

    @OptionGroup var store: StoreOption

    func run() throws {
        let context = try ReadingContext(store)
        let (run, rest) = try context.resolve(target)
        guard rest.isEmpty else { throw ReadingContext.failure("report takes a RUN, not '\(target)'", status: 2) }
        var report = try context.read { try RunReport.load(run, from: context.reader) }
        if !noPreviews { Self.addPreviews(to: &report, store: context.storePath, reader: context.reader) }
        let path = output ?? "\(run.flow)-\(run.id).html"
        do {
            try ReportFile.write(report.html().markup, to: UserPath.absolute(path))
        } catch {
            throw ReadingContext.failure("cannot write \(path): \(error)")
        }
        Terminal.writeError("wrote the report of \(run.flow)/\(run.id) to \(path)\n")
    }
}

extension ReportCommand {
    /// The report shows at most this many previews (the first results by name).
    static let previewed = 30

    /// Previews of the artifacts the steps report and of the report's results, made by workers
    /// in the values' own environments.
    static func addPreviews(to report: inout RunReport, store: String, reader: StoreReader) {
        let maker = PreviewMaker(store: store)
        defer { maker.shutDown() }
        for artifact in report.reported + report.data.prefix(previewed) where report.previews[artifact.value.blob] == nil {
            switch maker.preview(of: artifact, from: reader) {
            case .success(let preview): report.previews[artifact.value.blob] = preview
            case .failure(let failure): report.previewFailures[artifact.value.blob] = failure.description
            }
        }
        if report.data.count > previewed {
            report.previewNote = "previews of the first \(previewed) of \(report.data.count) results"
        }
    }
}

/// Writes a file whole or not at all: through a temporary file beside it and a rename. Only a
/// new or a regular file is replaced.
enum ReportFile {
    static func write(_ text: String, to path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG { throw ReportFileError.notRegular }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

enum ReportFileError: Error, CustomStringConvertible {
    case notRegular
    var description: String { "it exists and is not a regular file (only a regular file is replaced)" }
}
