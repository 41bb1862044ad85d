import FlowBasics
import FlowSpec
import FlowStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A run's code snapshot as `flowspec code` shows and writes it: the spec, then the run's own
/// `code_files`, each at its path relative to the spec's folder.
struct CodeSnapshotFiles {
    struct File {
        let path: String
        let blob: String
        let size: Int64
        let module: String?
        let isSpec: Bool
    }

    let run: RunRecord
    let files: [File]
    /// Where each is written by `-o DIR`.
    let layout: SnapshotLayout

    var name: String { "\(run.flow)/\(run.id)" }

    init(run: RunRecord, context: ReadingContext) throws {
        self.run = run
        guard let blob = run.specBlob, let specPath = run.specPath else {
            throw ReadingContext.failure("run '\(run.flow)/\(run.id)' recorded no spec, so it has no code snapshot")
        }
        let spec = File(path: specPath.split(separator: "/").last.map(String.init) ?? "spec.yaml", blob: blob,
                        size: Int64(try context.read { try context.reader.readBlob(blob) }.count), module: nil, isSpec: true)
        let code = try context.read { try context.reader.codeFiles(of: run.id) }
        files = [spec] + code.map { File(path: $0.path, blob: $0.blob, size: $0.size, module: $0.module, isSpec: false) }
        layout = SnapshotLayout(specPath: specPath, paths: code.map(\.path))
    }

    /// Where `file` goes in the folder it is written to; nil for one named by an absolute path.
    func place(of file: File) -> String? {
        file.isSpec ? layout.spec : layout.places[file.path]
    }

    func text(color: Bool) -> String {
        let rows = files.map { [$0.path, ReadingFormat.size($0.size), $0.isSpec ? "the spec" : $0.module.map { "module \($0)" } ?? ""] }
        return "\(name): the spec and \(counted(files.count - 1, "file"))\n"
            + ReadingFormat.indented(ReadingFormat.table(["PATH", "SIZE", "WHAT"], rows, color: color), "  ")
    }

    var json: JSONValue {
        .array(files.map { file in
            .object(["path": .string(file.path), "size": .int(Int(file.size)), "blob": .string(file.blob),
                     "module": .optional(file.module), "spec": .bool(file.isSpec)])
        })
    }

}
