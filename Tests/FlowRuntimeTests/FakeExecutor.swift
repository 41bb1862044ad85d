import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
import Foundation

/// An executor without Python: step functions are Swift closures over JSON values, artifacts
/// live in a dictionary. It records every call, and how many ran at once.
final class FakeExecutor: TaskExecutor, @unchecked Sendable {
    struct Function {
        let parameters: [String]
        let defaults: Set<String>
        let body: @Sendable ([String: JSONValue]) throws -> JSONValue
    }

    struct Raised: Error {
        let message: String
    }

    private let lock = NSLock()
    private var functions: [String: Function] = [:]
    private var values: [String: JSONValue] = [:]
    private(set) var calls: [String] = []
    /// The last request for each task, by its label.
    private(set) var requests: [String: TaskRequest] = [:]
    private var inFlight = 0
    private(set) var mostInFlight = 0
    /// The most cpu and memory the tasks running at one time asked for, and the most tasks of
    /// each step at one time.
    private var held = TaskNeeds(cpu: 0, memory: 0)
    private(set) var mostHeld = TaskNeeds(cpu: 0, memory: 0)
    private var inFlightPerStep: [String: Int] = [:]
    private(set) var mostInFlightPerStep: [String: Int] = [:]
    /// Seconds each task takes, to let tasks overlap; `delays` sets it per function.
    var delay: Double = 0
    var delays: [String: Double] = [:]
    /// The steps it asks to be told of when they can have no further task, and each telling,
    /// with the calls made by then.
    var watchedSteps: Set<String> = []
    private(set) var drained: [(step: String, callsBefore: [String])] = []

    func noMoreTasks(of step: String) async {
        locked { drained.append((step, calls)) }
    }

    func define(_ name: String, _ parameters: [String], defaults: Set<String> = [],
                _ body: @escaping @Sendable ([String: JSONValue]) throws -> JSONValue) {
        functions[name] = Function(parameters: parameters, defaults: defaults, body: body)
    }

    /// Stores a value as a param would be, returning its reference.
    func store(_ value: JSONValue) -> ArtifactRef {
        locked {
            let hash = "h\(Self.canonical(value).hashValueStable)"
            values[hash] = value
            return ArtifactRef(blob: hash, size: 1, type: "json", repr: String(describing: value))
        }
    }

    /// Equal values get equal text, as equal pickles get equal hashes.
    private static func canonical(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    func value(_ source: ValueSource) throws -> JSONValue {
        switch source {
        case .literal(let value): return value
        case .list(let items): return .array(try items.map(value))
        case .namespaces(let spaces, _): return .array(try spaces.map { .object(try $0.mapValues(value)) })
        case .artifact(let ref, let path):
            guard var current = locked({ values[ref.blob] }) else { throw Raised(message: "no blob \(ref.blob)") }
            for accessor in path {
                switch (accessor, current) {
                case (.index(let i), .array(let items)) where items.indices.contains(i): current = items[i]
                case (.attribute(let k), .object(let fields)), (.key(let k), .object(let fields)):
                    guard let field = fields[k] else { throw Raised(message: "no key \(k)") }
                    current = field
                default: throw Raised(message: "cannot apply \(accessor)")
                }
            }
            return current
        }
    }

    func run(_ request: TaskRequest) async -> TaskResult {
        let step = request.key.step
        let delay = locked {
            calls.append(request.name)
            requests[request.name] = request
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            held.cpu += request.needs.cpu
            held.memory += request.needs.memory
            mostHeld = TaskNeeds(cpu: max(mostHeld.cpu, held.cpu), memory: max(mostHeld.memory, held.memory))
            inFlightPerStep[step, default: 0] += 1
            mostInFlightPerStep[step] = max(mostInFlightPerStep[step, default: 0], inFlightPerStep[step, default: 0])
            return delays[request.target.function] ?? self.delay
        }
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        defer {
            locked {
                inFlight -= 1
                held.cpu -= request.needs.cpu
                held.memory -= request.needs.memory
                inFlightPerStep[step, default: 0] -= 1
            }
        }
        guard let function = locked({ functions[request.target.function] }) else {
            return TaskResult(failure: TaskFailure(kind: .import, message: "no function \(request.target.function)"))
        }
        var arguments: [String: JSONValue] = [:]
        do {
            for parameter in function.parameters {
                if let source = request.bound[parameter] ?? request.available[parameter] {
                    arguments[parameter] = try value(source)
                } else if !function.defaults.contains(parameter) {
                    return TaskResult(failure: TaskFailure(kind: .binding, message: "cannot bind '\(parameter)'"))
                }
            }
            return store(try function.body(arguments), as: request.outputs)
        } catch let raised as Raised {
            return TaskResult(failure: TaskFailure(kind: .exception, type: "ValueError", message: raised.message))
        } catch {
            return TaskResult(failure: TaskFailure(kind: .exception, message: "\(error)"))
        }
    }

    private func store(_ result: JSONValue, as shape: OutputShape) -> TaskResult {
        switch shape {
        case .single(let name): return TaskResult(outputs: [name: store(result)])
        case .stepName(let name): return result == .null ? TaskResult() : TaskResult(outputs: [name: store(result)])
        case .unpacked(let names):
            guard case .array(let items) = result, items.count == names.count else {
                return TaskResult(failure: TaskFailure(kind: .outputs, message: "expected \(names.count) values"))
            }
            return TaskResult(outputs: Dictionary(uniqueKeysWithValues: zip(names, items.map(store))))
        case .mapping:
            guard case .object(let fields) = result else {
                return TaskResult(failure: TaskFailure(kind: .outputs, message: "expected a mapping"))
            }
            return TaskResult(outputs: Dictionary(uniqueKeysWithValues: fields.map { ($0.key, store($0.value)) }))
        }
    }

    func store(_ values: [String: JSONValue]) async throws(TaskFailure) -> [String: ArtifactRef] {
        values.mapValues { store($0) }
    }

    /// A list fans out in place; an object, like a Python dict, over its keys, stored as a list.
    func fanOut(over value: ValueSource) async throws(TaskFailure) -> FanOut {
        switch try? self.value(value) {
        case .array(let items)?: return FanOut(count: items.count)
        case .object(let fields)?: return FanOut(count: fields.count, items: store(.array(fields.keys.sorted().map(JSONValue.string))))
        default: throw TaskFailure(kind: .foreach, message: "not a list")
        }
    }

    func match(_ value: ValueSource, among cases: [JSONValue]) async throws(TaskFailure) -> Int? {
        guard let actual = try? self.value(value) else { throw TaskFailure(kind: .switch, message: "no value") }
        return cases.firstIndex(of: actual)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }
}
