import FlowBasics
import FlowGraph
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The distinct Python environments a run's steps ask for, each with the steps that use it,
/// found and checked before anything runs; `build()` then builds the missing
/// `requirements` environments.
public struct RunEnvironments: Sendable {
    /// One environment and the steps that run in it.
    public struct Entry: Sendable {
        public let source: StepEnvironment
        /// Steps with a `run`, in plan order.
        public let steps: [String]
        /// The interpreter steps run in; nil while a requirements environment is not built, or
        /// when it cannot be used (`problem`).
        public fileprivate(set) var python: PythonEnvironment?
        /// The venv's folder or the built environment's, absolute; nil for the `python3` on PATH.
        public let folder: String?
        /// For `requirements`: where and from what it is built.
        public let builder: EnvironmentBuilder?
        public fileprivate(set) var record: EnvironmentRecord?
        /// Whether this run built it (it did not exist before).
        public fileprivate(set) var builtNow = false
        /// Why it cannot be used, naming its steps and the path.
        public let problem: String?

        public var state: State {
            if problem != nil { return .unusable }
            if builder != nil { return record == nil ? .notBuilt : .built }
            return .ready
        }
    }

    public enum State: String, Sendable {
        case ready, built
        case notBuilt = "not built"
        case unusable
    }

    public private(set) var entries: [Entry]
    /// The first step's environment: where params are stored.
    public let main: StepEnvironment
    let store: String

    public var problems: [String] { entries.compactMap(\.problem) }

    /// - Parameters:
    ///   - builtAgainst: the CPython release flowspec's workers were compiled against ("3.11.7");
    ///     an interpreter of another minor version is a problem.
    public init(plan: ExecutionPlan, specFolder: String, store: String, builtAgainst: String) {
        var steps: [StepEnvironment: [String]] = [:]
        var order: [StepEnvironment] = []
        for name in plan.order {
            guard let step = plan[name], step.function != nil else { continue }
            let source = step.environment
            if steps[source] == nil { order.append(source) }
            steps[source, default: []].append(name)
        }
        main = order.first ?? .path
        if order.isEmpty { order = [.path] }
        self.store = store
        entries = order.map { source in
            Self.entry(source, steps: steps[source] ?? [], specFolder: specFolder, store: store, builtAgainst: builtAgainst)
        }
    }

    /// The interpreter of every usable environment.
    public var interpreters: [StepEnvironment: PythonEnvironment] {
        Dictionary(uniqueKeysWithValues: entries.compactMap { entry in entry.python.map { (entry.source, $0) } })
    }

    public func entry(for source: StepEnvironment) -> Entry? { entries.first { $0.source == source } }

    /// Builds every `requirements` environment not built yet, one after the other. `progress`
    /// gets text to show as it goes (no newline at the end of a line still going on).
    public mutating func build(progress: (String) -> Void) throws(EnvironmentError) {
        for index in entries.indices {
            guard let builder = entries[index].builder, entries[index].record == nil, entries[index].problem == nil else { continue }
            let label = "\(Self.stepsLabel(entries[index].steps)) (\(builder.requirements.count) requirement\(builder.requirements.count == 1 ? "" : "s"))"
            var building = false
            let record: EnvironmentRecord, built: Bool
            do {
                (record, built) = try builder.ensure(
                    waiting: { progress("waiting for another flowspec building the environment for \(label)…\n") },
                    building: {
                        building = true
                        progress("building environment for \(label)… ")
                    })
            } catch {
                if building { progress("failed\n") }
                throw .tool("cannot build the environment for \(label): \(error)")
            }
            if built {
                progress("done in \(Double(Int(record.buildSeconds * 10)) / 10)s (\(record.tool))\n")
            }
            entries[index].record = record
            entries[index].builtNow = built
            do {
                entries[index].python = try PythonEnvironment.discover(executable: builder.interpreter)
            } catch {
                throw .io("the environment built in \(builder.folder) does not start: \(error)")
            }
        }
    }

    // MARK: - Finding and checking

    private static func entry(_ source: StepEnvironment, steps: [String], specFolder: String, store: String,
                              builtAgainst: String) -> Entry {
        let who = stepsLabel(steps)
        switch source {
        case .path:
            do {
                let python = try PythonEnvironment.discover()
                let problem = versionProblem(python, who: who, origin: "the python3 on PATH", builtAgainst: builtAgainst)
                return Entry(source: source, steps: steps, python: problem == nil ? python : nil, folder: nil, builder: nil, problem: problem)
            } catch {
                return Entry(source: source, steps: steps, folder: nil, builder: nil, problem: "\(who): \(error)")
            }
        case .venv(let written):
            let folder = UserPath.absolute(written, from: specFolder)
            guard let executable = ["python3", "python"].map({ "\(folder)/bin/\($0)" }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                return Entry(source: source, steps: steps, folder: folder, builder: nil,
                             problem: "\(who): python.venv '\(written)' is not a virtual environment: there is no \(folder)/bin/python3")
            }
            do {
                let python = try PythonEnvironment.discover(executable: executable)
                let problem = versionProblem(python, who: who, origin: "python.venv '\(written)'", builtAgainst: builtAgainst)
                return Entry(source: source, steps: steps, python: problem == nil ? python : nil, folder: folder, builder: nil, problem: problem)
            } catch {
                return Entry(source: source, steps: steps, folder: folder, builder: nil, problem: "\(who): python.venv '\(written)': \(error)")
            }
        case .requirements(let list):
            let base: PythonEnvironment
            do {
                base = try PythonEnvironment.discover()
            } catch {
                return Entry(source: source, steps: steps, folder: nil, builder: nil,
                             problem: "\(who): python.requirements needs a base interpreter: \(error)")
            }
            let builder = EnvironmentBuilder(store: store, base: base, requirements: list)
            let problem = versionProblem(base, who: who, origin: "an environment built from the python3 on PATH",
                                         builtAgainst: builtAgainst)
            let record = problem == nil ? builder.existing : nil
            let python = record.flatMap { _ in try? PythonEnvironment.discover(executable: builder.interpreter) }
            return Entry(source: source, steps: steps, python: python, folder: builder.folder, builder: builder,
                         record: python == nil ? nil : record, problem: problem)
        }
    }

    /// Workers link the libpython of the headers flowspec was compiled with: another minor
    /// version has another ABI.
    private static func versionProblem(_ python: PythonEnvironment, who: String, origin: String, builtAgainst: String) -> String? {
        let series = { (version: String) in version.split(separator: ".").prefix(2).joined(separator: ".") }
        let wanted = series(builtAgainst), found = series(python.version)
        guard wanted != found else { return nil }
        return "\(who) would run in \(origin) (\(python.executable)), which is Python \(python.version), but this flowspec "
            + "was built against Python \(builtAgainst): its workers embed Python \(wanted) only. Use a Python \(wanted) "
            + "interpreter or venv instead, or rebuild flowspec against Python \(found)'s development files "
            + "(its python3-embed.pc on PKG_CONFIG_PATH, then `swift build`)"
    }

    static func stepsLabel(_ steps: [String]) -> String {
        switch steps.count {
        case 0: "the flow"
        case 1: "step '\(steps[0])'"
        case 2...4: "steps " + steps.map { "'\($0)'" }.joined(separator: ", ")
        default: "steps '\(steps[0])', '\(steps[1])' and \(steps.count - 2) more"
        }
    }
}
