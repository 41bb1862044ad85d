import FlowBasics
import FlowEngine
import FlowRuntime
import LocalExecution
import WorkerProtocol
import Foundation

/// An executor without Python for a `FlowRun`: each step function is a Swift closure over JSON
/// values, values live in a dictionary, and the check of the steps' Python answers `findings`.
/// It records the environments it was asked to check in.
final class ScriptedExecutor: RunExecutor, @unchecked Sendable {
    typealias Body = @Sendable ([String: JSONValue]) throws -> JSONValue

    struct Raised: Error {
        let message: String
    }

    private let lock = NSLock()
    private var functions: [String: (parameters: [String], body: Body)] = [:]
    private var values: [String: JSONValue] = [:]
    /// What the check of the steps' Python finds.
    var findings: [CheckFinding] = []
    private(set) var checkedIn: [PythonEnvironment] = []
    /// The tasks run, by name, in the order they started.
    var ran: [String] { locked { started } }
    private var started: [String] = []
    /// Awaited before each task's function is called.
    var beforeTask: (@Sendable (TaskRequest) async -> Void)?

    func define(_ name: String, _ parameters: [String], _ body: @escaping Body) {
        locked { functions[name] = (parameters, body) }
    }

    // MARK: RunExecutor

    func run(_ request: TaskRequest) async -> TaskResult {
        locked { started.append(request.name) }
        await beforeTask?(request)
        guard let function = locked({ functions[request.target.function] }) else {
            return TaskResult(failure: TaskFailure(kind: .import, message: "no function \(request.target.function)"))
        }
        do {
            var arguments: [String: JSONValue] = [:]
            for parameter in function.parameters {
                guard let source = request.bound[parameter] ?? request.available[parameter] else { throw Raised(message: "cannot bind \(parameter)") }
                arguments[parameter] = try value(source)
            }
            let result = try function.body(arguments)
            switch request.outputs {
            case .single(let name), .stepName(let name):
                // As a worker does: what the function takes by name, for the task's key.
                var answer = TaskResult(outputs: [name: store(result)])
                answer.parameters = function.parameters
                return answer
            default: return TaskResult(failure: TaskFailure(kind: .outputs, message: "one output only"))
            }
        } catch {
            let message = (error as? Raised)?.message ?? "\(error)"
            return TaskResult(failure: TaskFailure(kind: .exception, type: "ValueError", message: message))
        }
    }

    func put(_ values: [String: ParamInput]) async throws(TaskFailure) -> [String: ArtifactRef] {
        values.mapValues { input in
            guard case .json(let value) = input else { return store(.null) }
            return store(value)
        }
    }

    func store(_ values: [String: JSONValue]) async throws(TaskFailure) -> [String: ArtifactRef] {
        values.mapValues(store)
    }

    func fanOut(over value: ValueSource) async throws(TaskFailure) -> FanOut {
        guard case .array(let items)? = try? self.value(value) else { throw TaskFailure(kind: .foreach, message: "not a list") }
        return FanOut(count: items.count)
    }

    func match(_ value: ValueSource, among cases: [JSONValue]) async throws(TaskFailure) -> Int? {
        guard let actual = try? self.value(value) else { throw TaskFailure(kind: .switch, message: "no value") }
        return cases.firstIndex(of: actual)
    }

    func check(_ steps: [CheckRequest.Step], in environment: PythonEnvironment) async throws(TaskFailure) -> [CheckFinding] {
        locked { checkedIn.append(environment) }
        return findings
    }

    func stopWorkers(reason: String) async {}
    func shutDown() async {}

    // MARK: Values

    private func store(_ value: JSONValue) -> ArtifactRef {
        locked {
            // The store takes only what looks like a SHA-256: the count, in 64 hex digits.
            let blob = String(repeating: "0", count: 48) + String(format: "%016x", values.count)
            values[blob] = value
            return ArtifactRef(blob: blob, size: 1, type: "json", repr: "\(value)")
        }
    }

    private func value(_ source: ValueSource) throws -> JSONValue {
        switch source {
        case .literal(let value): return value
        case .list(let items): return .array(try items.map(value))
        case .namespaces(let spaces, _): return .array(try spaces.map { .object(JSONObject(sorting: try $0.mapValues(value))) })
        case .artifact(let ref, let path):
            guard var current = locked({ values[ref.blob] }) else { throw Raised(message: "no blob \(ref.blob)") }
            for accessor in path {
                guard case .index(let i) = accessor, case .array(let items) = current, items.indices.contains(i) else {
                    throw Raised(message: "cannot apply \(accessor)")
                }
                current = items[i]
            }
            return current
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
