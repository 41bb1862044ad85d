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

    /// The first name, in order, whose value differs between the two (or is in one only).
    static func firstChanged(_ now: [String: JSONValue], _ then: [String: JSONValue]) -> String? {
        Set(now.keys).union(then.keys).sorted().first { now[$0] != then[$0] }
    }
}
