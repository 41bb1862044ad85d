import FlowBasics
import FlowSpec
import FlowStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `flowspec code RUN -o DIR`: the snapshot written into a new or empty folder, then what it
/// does not hold named, so that `flowspec run DIR/SPEC` runs the same code.
extension CodeSnapshotFiles {
    func write(to output: String, context: ReadingContext) throws {
        let folder = UserPath.absolute(output)
        try Self.prepare(folder, as: output)
        let placed = files.compactMap { file in place(of: file).map { (file, $0) } }
        for (file, place) in placed {
            let bytes = try context.read { try context.reader.readBlob(file.blob, verify: true) }
            let target = URL(fileURLWithPath: folder).appendingPathComponent(place)
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: target, options: .withoutOverwriting)
            } catch {
                throw ReadingContext.failure("cannot write '\(target.path)': \(error)")
            }
        }
        Terminal.writeError("wrote the code of \(name) to \(output): the spec and \(counted(placed.count - 1, "file"))\n")
        for file in files where place(of: file) == nil {
            Terminal.writeError("note: '\(file.path)' is not written: the spec names it by an absolute path, and a run imports it from there\n")
        }
        let params = writeFileParams(into: folder, context: context)
        if !params.written.isEmpty {
            Terminal.writeError("wrote what the run read of its file params: \(quotedList(params.written))\n")
        }
        let spec = (output.hasSuffix("/") ? output : output + "/") + layout.spec
        guard params.problems.isEmpty else {
            throw ReadingContext.failure(params.problems.joined(separator: "\n       "),
                                         hint: "the code is written: flowspec run \(spec) -p NAME=PATH …")
        }
        Terminal.writeError("to run it again: flowspec run \(spec)  (its params: flowspec inspect \(name))\n")
    }

    /// A new folder, or an empty one: nothing of the user's is ever overwritten.
    private static func prepare(_ folder: String, as given: String) throws {
        if let type = try? FileManager.default.attributesOfItem(atPath: folder)[.type] as? FileAttributeType {
            guard type == .typeDirectory else { throw ReadingContext.failure("'\(given)' is a file: give a new or empty folder") }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard names.isEmpty else { throw ReadingContext.failure("'\(given)' is not empty: give a new or empty folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ReadingContext.failure("cannot make folder '\(given)': \(error)")
        }
    }
}
