import FlowStore

/// Why a task ran or was reused, in the one vocabulary `run`, `resume`, `explain`, `plan` and
/// `inspect` share (docs/spec.md, "Cache, explain and resume"): a code for programs, a
/// sentence for people.
public enum TaskReason: Hashable, Sendable {
    /// Taken from this earlier task (`FLOW/ID/STEP/TASK`).
    case reused(from: String)
    case noEarlierTask
    /// The earlier task with this very key did not complete (`FLOW/ID/STEP/TASK`).
    case earlierDidNotComplete(String)
    case fileChanged(String)
    /// The step runs another function than it did.
    case functionChanged(from: String, to: String)
    case inputChanged(String)
    /// What changed in the environment: a package (or `python`), before and after (`none`
    /// when it was or is not installed).
    case environmentChanged(what: String, from: String, to: String)
    case outputsChanged
    case cacheOff
    case from(String)

    public var code: String {
        switch self {
        case .reused: "reused"
        case .noEarlierTask: "no_earlier_task"
        case .earlierDidNotComplete: "earlier_not_completed"
        case .fileChanged: "file_changed"
        case .functionChanged: "function_changed"
        case .inputChanged: "input_changed"
        case .environmentChanged: "environment_changed"
        case .outputsChanged: "outputs_changed"
        case .cacheOff: "cache_off"
        case .from: "from"
        }
    }

    public var text: String {
        switch self {
        case .reused(let origin): "reused: same code, inputs and environment as \(origin)"
        case .noEarlierTask: "ran: no earlier task with this key"
        case .earlierDidNotComplete(let task): "ran: \(task) had this key but did not complete"
        case .fileChanged(let file): "ran: \(file) changed"
        case .functionChanged(let old, let new): "ran: function changed (\(old) -> \(new))"
        case .inputChanged(let name): "ran: input \(name) changed"
        case .environmentChanged(let what, let old, let new): "ran: environment changed (\(what) \(old) -> \(new))"
        case .outputsChanged: "ran: outputs changed"
        case .cacheOff: "ran: cache off"
        case .from(let step): "ran: --from \(step)"
        }
    }

    public var reuses: Bool { if case .reused = self { true } else { false } }

    var record: TaskReasonRecord { TaskReasonRecord(code: code, text: text) }
}
