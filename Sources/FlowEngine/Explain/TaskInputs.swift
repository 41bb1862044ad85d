import FlowBasics
import FlowRuntime
import LocalExecution
import WorkerProtocol

/// A task's key inputs as `tasks.inputs` keeps them: a JSON object of each input as the worker
/// protocol writes a value, so `explain` can say which one changed and `step` can bind them again.
enum TaskInputs {
    static func text(_ inputs: [String: ValueSource]) -> String {
        JSONValue.object(inputs.mapValues { JSONScanner.value(Array(LocalExecutor.ref($0).jsonText.utf8)) ?? .null }).jsonText
    }

    /// What `text` wrote, by name; empty for anything else.
    static func values(_ text: String?) -> [String: JSONValue] {
        guard let text, case .object(let members)? = JSONScanner.value(Array(text.utf8)) else { return [:] }
        return Dictionary(members.map { ($0.key, $0.value) }) { first, _ in first }
    }

    /// The name whose value differs between the two (or is in one only): a plain value before
    /// `inputs`-like lists and namespaces, which change whenever anything their branches saw
    /// does; then by name.
    static func firstChanged(_ now: [String: JSONValue], _ then: [String: JSONValue]) -> String? {
        let changed = Set(now.keys).union(then.keys).filter { now[$0] != then[$0] }
        return changed.min { (gathers(now[$0] ?? then[$0]), $0) < (gathers(now[$1] ?? then[$1]), $1) }
    }

    /// 1 for a list or namespaces value (`inputs`, `inputs.NAME`), else 0.
    private static func gathers(_ value: JSONValue?) -> Int {
        guard case .object(let members)? = value else { return 0 }
        return members["list"] != nil || members["namespaces"] != nil ? 1 : 0
    }
}
