import FlowBasics
import FlowSpec
import FlowStore
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `file` param's file is data, not code, but the run keeps what it read as the param's value:
/// `code -o DIR` writes that value back at the param's default path in DIR (a `str` as UTF-8, a
/// `bytes` as is), so that `flowspec run DIR/SPEC` reads what the run read. One Python worker
/// loads the values, as `flowspec get` does.
extension CodeSnapshotFiles {
    /// Each file written, and each that could not be, with why.
    func writeFileParams(into folder: String, context: ReadingContext) -> (written: [String], problems: [String]) {
        guard let spec = SpecLoader.load(path: folder + "/" + layout.spec).spec else { return ([], []) }
        var written: [String] = [], problems: [String] = []
        var worker: RunWorker?
        defer { worker?.shutDown() }
        for param in spec.params where param.kind == .file {
            guard let path = param.defaultValue?.string else { continue }
            let name = param.name.value
            guard let place = layout.place(relativeToSpec: path) else {
                problems.append("param '\(name)': its default '\(path)' lies outside the folder; give the file with -p \(name)=PATH")
                continue
            }
            guard !FileManager.default.fileExists(atPath: folder + "/" + place) else { continue }
            do {
                guard let value = run.params[name] else { throw CodeProblem("the run recorded no value for it") }
                if worker == nil { worker = try RunWorker(run: run, context: context) }
                try Self.write(value, to: folder + "/" + place, folder: folder, worker: worker!, store: context.storePath)
                written.append(place)
            } catch {
                problems.append("param '\(name)': cannot write '\(place)': \(error)")
            }
        }
        return (written, problems)
    }

    /// The value's `str` or `bytes`, loaded by the worker as a plain pickle, written to `target`.
    private static func write(_ value: ArtifactRef, to target: String, folder: String, worker: RunWorker, store: String) throws {
        let pickle = folder + "/.flowspec-param.pickle"
        defer { try? FileManager.default.removeItem(atPath: pickle) }
        let response = try worker.send(.dump(DumpRequest(id: 1, store: store, value: .blob(value.blob), path: pickle,
                                                         run: worker.run.id.rawValue, code: worker.code)))
        if let error = response.error, response.status == .failed { throw CodeProblem(error.message) }
        guard let bytes = PlainPickle.payload(Array(try Data(contentsOf: URL(fileURLWithPath: pickle)))) else {
            throw CodeProblem("its value is a '\(value.type)', not the text or bytes of a file")
        }
        let url = URL(fileURLWithPath: target)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .withoutOverwriting)
    }
}

struct CodeProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
