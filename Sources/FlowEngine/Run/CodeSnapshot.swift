import FlowBasics
import FlowGraph
import FlowRuntime
import FlowStore
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The files a run keeps as its code snapshot (`code_files`), so readers can load the classes
/// its values were pickled with: each `.py` file and notebook a step's `run` names, and the
/// source of each module one names, with its packages' `__init__.py`, found in the step's
/// import roots in the order a worker searches them. Read once, before the run: the store
/// records these bytes, and workers are told their hashes.
public struct CodeSnapshot {
    public struct File: Hashable {
        /// Relative to the spec's folder, as recorded.
        public let path: String
        public let absolute: String
        /// The module it is imported as; nil for a file or notebook named by its path.
        public let module: String?
    }

    /// The files that could be read, with their bytes.
    public let files: [(file: File, bytes: [UInt8])]

    /// What the run's workers are told: each file by its absolute path and raw blob.
    public var refs: [CodeFileRef] {
        files.map { CodeFileRef(path: $0.file.absolute, blob: BlobHash.of($0.bytes), module: $0.file.module) }
    }

    public init(plan: ExecutionPlan, specFolder: String) {
        var files: [String: File] = [:]
        for name in plan.order {
            guard let step = plan[name], let target = step.function else { continue }
            switch target.source {
            case .file(let path), .notebook(let path):
                files[path] = File(path: path, absolute: Self.absolute(path, in: specFolder), module: nil)
            case .module(let module):
                let roots = step.importRoots + [""]
                for file in Self.moduleFiles(module, roots: roots, specFolder: specFolder) where files[file.path] == nil {
                    files[file.path] = file
                }
            }
        }
        self.files = files.values.sorted { $0.path < $1.path }.compactMap { file in
            (try? Data(contentsOf: URL(fileURLWithPath: file.absolute))).map { (file, Array($0)) }
        }
    }

    /// `a.b` as `ROOT/a/__init__.py` and `ROOT/a/b.py` (or `ROOT/a/b/__init__.py`), from the
    /// first root that has it; nothing when no root does (an installed package).
    static func moduleFiles(_ module: String, roots: [String], specFolder: String) -> [File] {
        let parts = module.split(separator: ".").map(String.init)
        for root in roots {
            var found: [File] = []
            for depth in parts.indices {
                let name = parts[...depth].joined(separator: ".")
                let stem = parts[...depth].joined(separator: "/")
                let candidates = depth == parts.count - 1 ? [stem + ".py", stem + "/__init__.py"] : [stem + "/__init__.py"]
                let relative = candidates.map { root.isEmpty ? $0 : root + "/" + $0 }
                guard let path = relative.first(where: { FileManager.default.fileExists(atPath: absolute($0, in: specFolder)) }) else { break }
                found.append(File(path: path, absolute: absolute(path, in: specFolder), module: name))
            }
            if found.count == parts.count { return found }
        }
        return []
    }

    private static func absolute(_ path: String, in folder: String) -> String {
        UserPath.absolute(path, from: folder)
    }
}
