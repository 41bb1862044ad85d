import FlowBasics

/// A run's id: `YYYYMMDD-HHMMSS-xxxx`, the UTC time the run began and four random lowercase hex
/// digits. Ids sort by start time to the second and are unique in a store.
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: RunID, b: RunID) -> Bool { a.rawValue < b.rawValue }

    /// A fresh id for a run that begins at `milliseconds` since 1970.
    static func make(at milliseconds: Int64) -> RunID {
        let t = System.utcComponents(milliseconds: milliseconds)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let suffix = String(UInt16.random(in: 0 ... .max), radix: 16)
        return RunID("\(pad(t.year, 4))\(pad(t.month, 2))\(pad(t.day, 2))-\(pad(t.hour, 2))\(pad(t.minute, 2))\(pad(t.second, 2))-"
            + String(repeating: "0", count: 4 - suffix.count) + suffix)
    }
}

/// A task's row id in the store.
public struct TaskID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// One attempt of one task, as the writer hands it out.
public struct AttemptKey: Hashable, Sendable {
    public let task: TaskID
    public let number: Int
    let rowID: Int64
}

/// Milliseconds since 1970-01-01T00:00:00Z, UTC.
public typealias Timestamp = Int64

public enum RunStatus: String, Sendable, CaseIterable {
    case running, completed, failed, interrupted
}

public enum TaskStatus: String, Sendable, CaseIterable {
    case pending, running, completed, failed, reused
    /// Never stored: how readers show a task a stop ended (stored `failed`, its last attempt's
    /// `error_kind` `interrupted`) or that was `running` when its scheduler died.
    case interrupted
}

public enum AttemptStatus: String, Sendable, CaseIterable {
    case running, completed, failed
}

public struct FlowRecord: Hashable, Sendable {
    public var name: String
    public var project: String?
    public var createdAt: Timestamp
}

public struct RunRecord: Hashable, Sendable {
    public var id: RunID
    public var flow: String
    public var status: RunStatus
    /// Param name → its value, stored like any artifact.
    public var params: [String: ArtifactRef]
    public var tags: [String]
    public var user: String?
    public var specPath: String?
    /// The raw blob holding the spec's bytes.
    public var specBlob: String?
    public var codeFingerprint: String?
    public var pythonVersion: String?
    public var pythonExecutable: String?
    /// Free-form facts about the environment, as a JSON object (for example resolved packages).
    public var environment: String
    public var createdAt: Timestamp
    public var finishedAt: Timestamp?
    public var heartbeatAt: Timestamp
    public var schedulerPID: Int32
    public var schedulerHost: String
    /// The scheduler process's start time in clock ticks since boot, where the host has `/proc`.
    public var schedulerStart: Int64?
    /// The run this one resumed.
    public var originRun: RunID?
    /// The step a resume started from.
    public var resumeFrom: String?
}

public struct StepRecord: Hashable, Sendable {
    public var run: RunID
    public var name: String
    /// Declaration order in the spec, from 0.
    public var position: Int
    public var kind: String
    public var isEnd: Bool
    /// Its `report:` names, in the order written: the artifacts shown first on the run's pages.
    public var report: [String] = []
}

/// Why a task ran or was reused, as recorded: a code for programs, a sentence for people.
public struct TaskReasonRecord: Hashable, Sendable {
    public var code: String
    public var text: String

    public init(code: String, text: String) {
        self.code = code
        self.text = text
    }
}

public struct TaskRecord: Hashable, Sendable {
    public var id: TaskID
    public var run: RunID
    public var step: String
    /// Foreach positions, outermost first; empty outside any foreach.
    public var index: [Int]
    /// Position in the innermost foreach, if any.
    public var foreachIndex: Int?
    /// Which pass through a `switch` loop, from 0.
    public var iteration: Int
    public var status: TaskStatus
    /// For a reused task, the task whose results it took.
    public var originTask: TaskID?
    public var createdAt: Timestamp
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    /// Whether the step is inside a switch loop, so the task's label carries its pass.
    public var inLoop: Bool
    /// The task's key (docs/spec.md, "Task keys"); nil for a task without one: a step without
    /// `run`, a task taken over by `resume`, one recorded before keys were.
    public var cacheKey: String? = nil
    /// For a task of a foreach step: the item it processed, as the worker protocol writes a
    /// value (`{"blob": HEX, "path": [["index", 3]]}`); nil otherwise, and in older runs.
    public var item: String? = nil
    /// Why it ran or was reused (docs/spec.md, "Cache, explain and resume"); nil in older runs.
    public var reason: TaskReasonRecord? = nil
    /// The values its key hashes: a JSON object of each input as the worker protocol writes a
    /// value; nil for a task without a key.
    public var inputs: String? = nil

    /// `3`, `2.0`, `#1`, `2.0#1`, or empty: what names the task within its step.
    public var label: TaskLabel { TaskLabel(positions: index, pass: inLoop ? iteration : nil) }

    /// `per_genre/3`, `train/#2`, `start`.
    public var path: String { label.path(step: step) }
}

/// How an attempt failed, as the worker reports it (`kind` is one of the worker protocol's).
public struct AttemptError: Hashable, Sendable {
    public var kind: String
    public var type: String?
    public var message: String
    public var traceback: String?

    public init(kind: String, type: String? = nil, message: String, traceback: String? = nil) {
        self.kind = kind
        self.type = type
        self.message = message
        self.traceback = traceback
    }

    /// The error in one line, for display (`ValueError: bad row 2`).
    public var summary: String { ErrorSummary.line(kind: kind, type: type, message: message) }
}

public struct AttemptRecord: Hashable, Sendable {
    public var task: TaskID
    /// From 1.
    public var number: Int
    public var status: AttemptStatus
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    /// The step function's own time, as the worker measured it.
    public var seconds: Double?
    public var workerPID: Int32?
    public var exitStatus: Int?
    public var signal: Int?
    public var error: AttemptError?
    public var stdout: String
    public var stderr: String
    /// The cluster job it ran as, for an attempt an executor submitted as a job.
    public var job: AttemptJobRecord? = nil
}

/// A cluster's job an attempt ran as (`attempts.job_id`, `job_node`, `job_state`).
public struct AttemptJobRecord: Hashable, Sendable {
    public var id: String
    public var node: String?
    /// The state the cluster gave the job last: `COMPLETED`, `TIMEOUT`, `CANCELLED`…
    public var state: String?

    public init(id: String, node: String? = nil, state: String? = nil) {
        self.id = id
        self.node = node
        self.state = state
    }
}

public struct ArtifactRecord: Hashable, Sendable {
    public var task: TaskID
    public var name: String
    public var value: ArtifactRef
}

public struct CodeFileRecord: Hashable, Sendable {
    public var run: RunID
    /// Relative to the spec's folder, with `/` separators.
    public var path: String
    /// The raw blob holding the file's bytes.
    public var blob: String
    public var size: Int64
    /// The module Python imports the file as, for a module a step's `run` names (and its
    /// packages); nil for a `.py` file or notebook named by its path.
    public var module: String?
}

/// A Python environment some of a run's steps ran in (`run_environments`).
public struct RunEnvironmentRecord: Hashable, Sendable {
    /// What the environment is (`run_environments.kind`).
    public enum Kind: String, Hashable, Sendable {
        /// The python3 on PATH.
        case path
        /// An existing virtual environment.
        case venv
        /// An environment built in the store for a requirement list.
        case requirements
    }

    public var kind: Kind
    /// The venv's folder as the spec wrote it, or the built environment's folder.
    public var location: String?
    /// A built environment's hash (its folder's name under `STORE/envs/`).
    public var hash: String?
    public var requirements: [String]
    public var pythonVersion: String?
    public var pythonExecutable: String?
    /// Distribution name → version; nil when they were not listed.
    public var packages: [String: String]?
    /// The steps that ran in it, in plan order.
    public var steps: [String]
    /// Whether this run built it (rather than reusing an earlier build).
    public var built: Bool
    public var buildSeconds: Double?

    public init(kind: Kind, location: String? = nil, hash: String? = nil, requirements: [String] = [],
                pythonVersion: String? = nil, pythonExecutable: String? = nil, packages: [String: String]? = nil,
                steps: [String] = [], built: Bool = false, buildSeconds: Double? = nil) {
        self.kind = kind
        self.location = location
        self.hash = hash
        self.requirements = requirements
        self.pythonVersion = pythonVersion
        self.pythonExecutable = pythonExecutable
        self.packages = packages
        self.steps = steps
        self.built = built
        self.buildSeconds = buildSeconds
    }
}
