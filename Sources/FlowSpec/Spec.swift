import FlowBasics

/// A spec as its author wrote it, every name and value with its place in the file.
/// Built by `SpecReader` even from a spec with errors: what could not be read is absent.
public struct Spec: Sendable {
    public var file: String
    public var version: Located<Int>?
    public var name: Located<String>?
    public var description: String?
    public var project: Located<String>?
    public var python: PythonSettings?
    public var env: [EnvVar] = []
    public var params: [Param] = []
    public var defaults = StepSettings()
    /// In declaration order: the first starts the run.
    public var steps: [Step] = []

    public init(file: String) { self.file = file }

    public func step(named name: String) -> Step? { steps.first { $0.name.value == name } }
}

public struct Param: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case str, int, float, bool, json, file
    }

    public var name: Located<String>
    public var kind: Kind = .str
    public var kindSpan: SourceSpan?
    /// Absent: the param is required.
    public var defaultValue: Node?
    public var choices: [Node]?
    public var help: String?
    public var binary = false

    public init(name: Located<String>) { self.name = name }
}

/// One step as written. Its fields live in one shared box, copied only when a copy is changed:
/// the graph and the checks pass steps around a lot, and copying every field each time was a
/// tenth of a 1,000-step lint.
public struct Step: Sendable {
    private var fields: Fields

    public init(name: Located<String>) { fields = Fields(name: name) }

    public var name: Located<String> {
        get { fields.name }
        set { unique().name = newValue }
    }
    public var run: Located<RunTarget>? {
        get { fields.run }
        set { unique().run = newValue }
    }
    public var args: [ArgBinding] {
        get { fields.args }
        set { unique().args = newValue }
    }
    public var with: [LiteralBinding] {
        get { fields.with }
        set { unique().with = newValue }
    }
    public var outputs: Located<Outputs>? {
        get { fields.outputs }
        set { unique().outputs = newValue }
    }
    /// Successors; more than one is a static branch.
    public var next: [Located<String>] {
        get { fields.next }
        set { unique().next = newValue }
    }
    public var switchOn: Switch? {
        get { fields.switchOn }
        set { unique().switchOn = newValue }
    }
    public var foreach: Located<Reference>? {
        get { fields.foreach }
        set { unique().foreach = newValue }
    }
    /// Where `join: true` was written; nil when the step is not a join.
    public var join: SourceSpan? {
        get { fields.join }
        set { unique().join = newValue }
    }
    /// `report:` the names of its artifacts shown first on the run's pages, in the order
    /// written, each once.
    public var report: [Located<String>] {
        get { fields.report }
        set { unique().report = newValue }
    }
    public var settings: StepSettings {
        get { fields.settings }
        set { unique().settings = newValue }
    }
    /// True when `next` or `switch` was written but could not be read (or was misspelt):
    /// the step's successors are unknown, so it is not taken for a last step.
    public var hasUnreadSuccessors: Bool {
        get { fields.hasUnreadSuccessors }
        set { unique().hasUnreadSuccessors = newValue }
    }

    public var isJoin: Bool { fields.join != nil }
    /// A step with neither `next` nor `switch` ends the run.
    public var isLast: Bool { fields.next.isEmpty && fields.switchOn == nil }

    private mutating func unique() -> Fields {
        if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
        return fields
    }

    /// Changed only through `unique()`, so a box is never changed while shared.
    private final class Fields: @unchecked Sendable {
        var name: Located<String>
        var run: Located<RunTarget>?
        var args: [ArgBinding] = []
        var with: [LiteralBinding] = []
        var outputs: Located<Outputs>?
        var next: [Located<String>] = []
        var switchOn: Switch?
        var foreach: Located<Reference>?
        var join: SourceSpan?
        var report: [Located<String>] = []
        var settings = StepSettings()
        var hasUnreadSuccessors = false

        init(name: Located<String>) { self.name = name }

        func copy() -> Fields {
            let copy = Fields(name: name)
            (copy.run, copy.args, copy.with, copy.outputs) = (run, args, with, outputs)
            (copy.next, copy.switchOn, copy.foreach, copy.join) = (next, switchOn, foreach, join)
            (copy.report, copy.settings, copy.hasUnreadSuccessors) = (report, settings, hasUnreadSuccessors)
            return copy
        }
    }
}

/// A parameter bound by `args` to a reference.
public struct ArgBinding: Sendable {
    public var parameter: Located<String>
    public var reference: Located<Reference>

    public init(parameter: Located<String>, reference: Located<Reference>) {
        self.parameter = parameter
        self.reference = reference
    }
}

/// A parameter bound by `with` to a literal value.
public struct LiteralBinding: Sendable {
    public var parameter: Located<String>
    public var value: Node

    public init(parameter: Located<String>, value: Node) {
        self.parameter = parameter
        self.value = value
    }
}

/// How a step's return value becomes artifacts.
public enum Outputs: Sendable {
    /// `outputs: name`
    case single(String)
    /// `outputs: [a, b]`: a sequence unpacked into these names.
    case unpacked([Located<String>])
    /// `outputs: "*"`: every key of a returned mapping.
    case mapping
}

public struct Switch: Sendable {
    public struct Case: Sendable {
        /// The value to match, as written (`true`, `1` and `"a"` keep their types).
        public var value: Node
        public var target: Located<String>

        public init(value: Node, target: Located<String>) {
            self.value = value
            self.target = target
        }
    }

    public var on: Located<Reference>?
    public var cases: [Case] = []
    public var defaultTarget: Located<String>?
    /// Where the `switch:` key was written.
    public var span: SourceSpan

    public init(span: SourceSpan) { self.span = span }

    /// Every target, cases first, then the default.
    public var targets: [Located<String>] { cases.map(\.target) + (defaultTarget.map { [$0] } ?? []) }
}

/// The step keys that `defaults` may also set.
public struct StepSettings: Sendable {
    public var retry: Located<RetryPolicy>?
    public var concurrency: Located<Int>?
    public var maxIterations: Located<Int>?
    public var timeout: Located<FlowBasics.Duration>?
    public var catchName: Located<String>?
    public var resources: Located<Resources>?
    public var env: [EnvVar] = []
    public var python: PythonSettings?
    public var cache: Bool?
    public var isolate: Bool?
    public var executor: Located<ExecutorKind>?
    public var slurm: Located<SlurmSettings>?

    public init() {}
}

public struct PythonSettings: Sendable {
    public var path: [Located<String>] = []
    public var requirements: [Located<String>]?
    public var venv: Located<String>?

    public init() {}
}

public struct EnvVar: Sendable {
    public var name: Located<String>
    public var value: Located<String>

    public init(name: Located<String>, value: Located<String>) {
        self.name = name
        self.value = value
    }
}
