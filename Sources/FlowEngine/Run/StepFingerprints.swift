import FlowBasics
import FlowGraph
import FlowStore
import LocalExecution
import WorkerProtocol

/// What a task's key takes from its step (docs/spec.md, "Task keys"): the function's qualified
/// name, the hash of every file the code snapshot keeps for it (the `.py` file its `run` names,
/// the code cells of a notebook, or a module's source with its packages' `__init__.py`), and its
/// environment's interpreter and packages. `FlowRuntime.CacheKey` adds what each task binds.
struct StepFingerprint: Sendable {
    let function: String
    /// Path (relative to the spec's folder) → SHA-256 of what counts of it.
    let files: [String: String]
    let python: String
    /// Package name → version, for an environment whose packages are known.
    let packages: [String: String]

    /// The hash every task key of the step starts from.
    var hash: String {
        var text = "function " + function + "\n"
        for (path, hash) in files.sorted(by: { $0.key < $1.key }) { text += "file " + path + " " + hash + "\n" }
        text += "python " + python + "\n"
        for (name, version) in packages.sorted(by: { $0.key < $1.key }) { text += "package " + name + "==" + version + "\n" }
        return SHA256.hex(SHA256.hash(Array(text.utf8)))
    }

    /// As `steps.key_parts` records it, for `explain` to compare with a later run's.
    var json: JSONValue {
        .object(["function": .string(function), "files": .object(files.mapValues(JSONValue.string)),
                 "python": .string(python), "packages": .object(packages.mapValues(JSONValue.string))])
    }

    init(function: String, files: [String: String], python: String, packages: [String: String]) {
        self.function = function
        self.files = files
        self.python = python
        self.packages = packages
    }

    /// Reads what `json` wrote; nil for anything else.
    init?(json: JSONValue) {
        guard case .object(let fields) = json, case .string(let function)? = fields["function"],
              case .string(let python)? = fields["python"] else { return nil }
        self.init(function: function, files: Self.strings(fields["files"]), python: python, packages: Self.strings(fields["packages"]))
    }

    private static func strings(_ value: JSONValue?) -> [String: String] {
        guard case .object(let fields)? = value else { return [:] }
        var strings: [String: String] = [:]
        for (key, value) in fields { if case .string(let text) = value { strings[key] = text } }
        return strings
    }
}

enum StepFingerprints {
    /// Each step with a `run`, by name.
    static func of(_ plan: ExecutionPlan, code: CodeSnapshot, environments: RunEnvironments, specFolder: String) -> [String: StepFingerprint] {
        var hashes: [String: String] = [:]
        for (file, bytes) in code.files where hashes[file.path] == nil {
            hashes[file.path] = file.path.hasSuffix(".ipynb") ? notebookHash(bytes) : BlobHash.of(bytes)
        }
        var fingerprints: [String: StepFingerprint] = [:]
        var listed: [String: [EnvironmentRecord.Package]] = [:]
        for name in plan.order {
            guard let step = plan[name], let target = step.function else { continue }
            let paths = files(of: target, roots: step.importRoots, specFolder: specFolder)
            let entry = environments.entry(for: step.environment)
            let packages = (entry?.record?.packages ?? venvPackages(of: entry, &listed)).map { ($0.name, $0.version) }
            fingerprints[name] = StepFingerprint(
                function: qualified(target), files: Dictionary(paths.map { ($0, hashes[$0] ?? "unreadable") }) { first, _ in first },
                python: (entry?.python?.version ?? "unknown") + " " + step.environment.description,
                packages: Dictionary(packages) { first, _ in first })
        }
        return fingerprints
    }

    /// A venv's installed packages, asked of its interpreter once per run (the python3 on
    /// PATH is not asked: its packages are the machine's, and do not count).
    private static func venvPackages(of entry: RunEnvironments.Entry?,
                                     _ known: inout [String: [EnvironmentRecord.Package]]) -> [EnvironmentRecord.Package] {
        guard let entry, case .venv = entry.source, let python = entry.python?.executable else { return [] }
        if let found = known[python] { return found }
        let found = EnvironmentBuilder.installedPackages(python: python) ?? []
        known[python] = found
        return found
    }

    private static func qualified(_ target: RunTarget) -> String {
        switch target.source {
        case .module(let module): module + ":" + target.function
        case .file(let path), .notebook(let path): path + ":" + target.function
        }
    }

    /// The snapshot paths behind the step's function, as `CodeSnapshot` finds them for it.
    private static func files(of target: RunTarget, roots: [String], specFolder: String) -> [String] {
        switch target.source {
        case .file(let path), .notebook(let path): [path]
        case .module(let module): CodeSnapshot.moduleFiles(module, roots: roots + [""], specFolder: specFolder).map(\.path)
        }
    }

    /// A notebook counts by its code cells' sources only: running it again (new outputs,
    /// execution counts, metadata) changes no key. A file that is not a notebook counts whole.
    static func notebookHash(_ bytes: [UInt8]) -> String {
        guard case .object(let notebook)? = JSONScanner.value(bytes), case .array(let cells)? = notebook["cells"] else {
            return BlobHash.of(bytes)
        }
        var text = "notebook code cells\n"
        for case .object(let cell) in cells where cell["cell_type"] == .string("code") {
            let source = switch cell["source"] {
            case .string(let line)?: line
            case .array(let lines)?: lines.map { if case .string(let line) = $0 { line } else { "" } }.joined()
            default: ""
            }
            text += "cell \(source.utf8.count)\n" + source + "\n"
        }
        return SHA256.hex(SHA256.hash(Array(text.utf8)))
    }
}
