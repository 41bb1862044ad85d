import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// The environment of one requirement list in a store: `STORE/envs/HASH/`, a virtual
/// environment made from a base interpreter, built once and reused by every later run.
///
/// A build holds an exclusive lock on `HASH.lock` and writes its marker file last; so two runs
/// at once build it once, and a build killed half way leaves nothing that is taken for built
/// (the next build removes it first). It is built where it stays: a virtual environment's
/// scripts name its folder, and would break if it were moved.
public struct EnvironmentBuilder: Sendable {
    public let base: PythonEnvironment
    /// Normalized (`Requirements.normalized`).
    public let requirements: [String]
    public let hash: String
    /// `STORE/envs`.
    public let environmentsFolder: String
    /// What installs the requirements. Not part of `hash`: uv and pip make the same environment.
    public let installer: Installer

    public enum Installer: Sendable, Hashable {
        /// uv where `findUV` finds one when the build starts, else pip.
        case found
        case pip
        /// This `uv` executable.
        case uv(String)
    }

    public init(store: String, base: PythonEnvironment, requirements: [String], installer: Installer = .found) {
        self.base = base
        self.requirements = requirements
        self.installer = installer
        environmentsFolder = store + "/envs"
        let key = (["flowspec environment 1", "python \(base.version) \(base.executable)"] + requirements).joined(separator: "\n")
        hash = SHA256.hex(SHA256.hash(Array(key.utf8)).prefix(8))
    }

    public var folder: String { environmentsFolder + "/" + hash }
    public var interpreter: String { folder + "/bin/python3" }

    /// The record of the built environment; nil when it is not built (or only half).
    public var existing: EnvironmentRecord? { EnvironmentRecord.read(folder: folder) }

    /// The environment, built first unless it already is. `waiting` is called when another
    /// process holds the lock; `building` just before this one starts the build.
    public func ensure(waiting: () -> Void = {}, building: () -> Void = {}) throws(EnvironmentError) -> (record: EnvironmentRecord, built: Bool) {
        if let existing { return (existing, false) }
        do {
            try FileManager.default.createDirectory(atPath: environmentsFolder, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(environmentsFolder): \(error)")
        }
        let lock = try FileLock(path: folder + ".lock", onWait: waiting)
        defer { withExtendedLifetime(lock) {} }
        if let existing { return (existing, false) }
        building()
        if FileManager.default.fileExists(atPath: folder) { try? FileManager.default.removeItem(atPath: folder) }
        let started = ContinuousClock.now
        do throws(EnvironmentError) {
            let (tool, packages) = try install(into: folder)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let record = EnvironmentRecord(hash: hash, requirements: requirements, baseVersion: base.version,
                                           baseExecutable: base.executable, tool: tool, packages: packages,
                                           buildSeconds: seconds, builtAt: Date().timeIntervalSince1970)
            try record.write(folder: folder)
            return (record, true)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    // MARK: - Installing

    /// Makes a virtual environment in `target` and installs the requirements, with uv when there is
    /// one (`installer`), else `venv` and pip; returns the tool's name and what got installed.
    private func install(into target: String) throws(EnvironmentError) -> (String, [EnvironmentRecord.Package]) {
        let python = target + "/bin/python3"
        let tool: String
        if requirements.isEmpty {
            // `requirements: []`: an environment with nothing but the standard library.
            tool = "venv"
            try step([base.executable, "-m", "venv", "--without-pip", target], tool: tool, what: "create a virtual environment")
        } else if let uv = uvExecutable {
            tool = "uv"
            try step([uv, "venv", "--quiet", "--python", base.executable, target], tool: tool, what: "create a virtual environment")
            // Compiled as pip compiles it: else every worker that imports scikit-learn compiles it
            // again where bytecode is not written (PYTHONDONTWRITEBYTECODE), a second or two each.
            try step([uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", python] + requirements, tool: tool, installing: true)
        } else if pipTakesPythonOption {
            // The base's pip installs into an environment made without one: seconds faster.
            tool = "pip"
            try step([base.executable, "-m", "venv", "--without-pip", target], tool: "venv", what: "create a virtual environment")
            try step([base.executable, "-m", "pip", "--python", python] + Self.pipInstall + requirements, tool: tool, installing: true)
        } else {
            tool = "pip"
            try step([base.executable, "-m", "venv", target], tool: "venv", what: "create a virtual environment")
            try step([python, "-m", "pip"] + Self.pipInstall + requirements, tool: tool, installing: true)
        }
        return (tool, try packages(of: python))
    }

    private var uvExecutable: String? {
        switch installer {
        case .found: Self.findUV(base: base)
        case .pip: nil
        case .uv(let path): path
        }
    }

    /// The `uv` that builds environments from `base`: the one on PATH, else the one in the base
    /// interpreter's folder (where `python3 -m pip install uv` puts it); nil when neither runs.
    static func findUV(base: PythonEnvironment, env: [String: String] = Spawn.currentEnv) -> String? {
        let folder = base.executable.lastIndex(of: "/").map { String(base.executable[..<$0]) } ?? "."
        let beside = folder + "/uv"
        let candidates = [ProgramRun.which("uv", env: env)].compactMap { $0 } + (access(beside, X_OK) == 0 ? [beside] : [])
        // pyenv puts a uv shim on PATH once any of its Pythons has uv: only a uv that runs counts.
        return candidates.first { (try? ProgramRun.run([$0, "--version"], env: env))?.succeeded == true }
    }

    private static let pipInstall = ["install", "--quiet", "--disable-pip-version-check", "--no-input"]

    /// pip 22.3 and later take `--python` to install into another interpreter's environment.
    private var pipTakesPythonOption: Bool {
        guard let run = try? ProgramRun.run([base.executable, "-m", "pip", "--version"], mergeStderr: false), run.succeeded,
              let version = run.output.split(separator: " ").dropFirst().first else { return false }
        let parts = version.split(separator: ".").compactMap { Int($0) }
        return parts.count >= 2 && (parts[0], parts[1]) >= (22, 3)
    }

    private func step(_ arguments: [String], tool: String, what: String = "", installing: Bool = false) throws(EnvironmentError) {
        let run: ProgramRun
        do {
            run = try ProgramRun.run(arguments)
        } catch {
            throw .tool("cannot run \(tool): \(error)")
        }
        guard !run.succeeded else { return }
        let output = Self.trimmed(run.output)
        guard installing else { throw .tool("\(tool) could not \(what) (it \(run.status)):\n\(output)") }
        let culprits = requirements.filter { requirement in
            let name = requirement.prefix { !"=<>!~;[ @".contains($0) }
            return run.output.lowercased().contains(name.lowercased())
        }
        throw .install(tool: tool, requirements: requirements, culprits: culprits, output: output)
    }

    /// The installer's last lines that say something: at most 12, notices dropped.
    static func trimmed(_ output: String) -> String {
        let lines = output.split(separator: "\n").map { String($0.prefix(300)) }
            .filter { !$0.allSatisfy(\.isWhitespace) && !$0.hasPrefix("[notice]") }
        return lines.suffix(12).joined(separator: "\n")
    }

    private static let listing = """
        import importlib.metadata as m, json
        found = {d.metadata["Name"]: d.version for d in m.distributions() if d.metadata["Name"]}
        print(json.dumps([{"name": k, "version": v} for k, v in sorted(found.items(), key=lambda kv: kv[0].lower())]))
        """

    /// Every distribution the environment's interpreter finds, by name.
    private func packages(of python: String) throws(EnvironmentError) -> [EnvironmentRecord.Package] {
        guard let list = Self.installedPackages(python: python) else {
            throw .tool("cannot list the packages of the environment built in \(folder)")
        }
        return list
    }

    /// Every distribution `python` finds (a venv's, for its steps' keys), by name; nil when it
    /// cannot say.
    public static func installedPackages(python: String) -> [EnvironmentRecord.Package]? {
        guard let run = try? ProgramRun.run([python, "-c", listing], mergeStderr: false), run.succeeded else { return nil }
        return try? JSONDecoder().decode([EnvironmentRecord.Package].self, from: Data(run.output.utf8))
    }
}
