import FlowBasics
import FlowGraph
import FlowStore
import LocalExecution

/// What a task's key takes from its step (docs/spec.md, "Task keys"): the function's qualified
/// name, the hash of every file the code snapshot keeps for it (the `.py` file or notebook its
/// `run` names, or a module's source with its packages' `__init__.py`), and its environment's
/// fingerprint. `FlowRuntime.CacheKey` adds what each task binds.
enum StepFingerprints {
    /// Each step with a `run`, by name.
    static func of(_ plan: ExecutionPlan, code: CodeSnapshot, environments: RunEnvironments, specFolder: String) -> [String: String] {
        let blobs = Dictionary(code.files.map { ($0.file.path, BlobHash.of($0.bytes)) }) { first, _ in first }
        var fingerprints: [String: String] = [:]
        for name in plan.order {
            guard let step = plan[name], let target = step.function else { continue }
            var text = "function " + qualified(target) + "\n"
            for path in files(of: target, roots: step.importRoots, specFolder: specFolder) {
                text += "file " + path + " " + (blobs[path] ?? "unreadable") + "\n"
            }
            text += environment(environments.entry(for: step.environment), source: step.environment)
            fingerprints[name] = SHA256.hex(SHA256.hash(Array(text.utf8)))
        }
        return fingerprints
    }

    private static func qualified(_ target: RunTarget) -> String {
        switch target.source {
        case .module(let module): "module " + module + ":" + target.function
        case .file(let path): "file " + path + ":" + target.function
        case .notebook(let path): "notebook " + path + ":" + target.function
        }
    }

    /// The snapshot paths behind the step's function, as `CodeSnapshot` finds them for it.
    private static func files(of target: RunTarget, roots: [String], specFolder: String) -> [String] {
        switch target.source {
        case .file(let path), .notebook(let path): [path]
        case .module(let module): CodeSnapshot.moduleFiles(module, roots: roots + [""], specFolder: specFolder).map(\.path)
        }
    }

    /// The interpreter's version and, for a built environment, every installed package's.
    private static func environment(_ entry: RunEnvironments.Entry?, source: StepEnvironment) -> String {
        var text = "environment " + source.description + "\n"
        text += "python " + (entry?.python?.version ?? "unknown") + "\n"
        let packages = entry?.record?.packages.map { $0.name + "==" + $0.version } ?? []
        for package in packages.sorted() { text += "package " + package + "\n" }
        return text
    }
}
