import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The requests that carry values a user wrote (task, put, match) are written by `JSONWriter`,
// which keeps a float a float (`2.0`, where JSONEncoder writes `2`), integers of any size and
// the order of keys; a task request is also the one message sent for every task. The other
// requests go through their `Codable` conformance. Both write the same JSON
// (WorkerMessagesTests decodes one into the other).

extension WorkerRequest {
    /// The request's JSON text, as its frame's payload.
    public func payload() throws -> [UInt8] {
        var json = JSONWriter()
        switch self {
        case .task(let task): task.write(to: &json)
        case .put(let put): put.write(to: &json)
        case .match(let match): match.write(to: &json)
        default: return Array(try JSONEncoder().encode(self))
        }
        return json.bytes
    }
}

extension JSONWriter {
    /// The members every request starts with.
    fileprivate mutating func requestHeader(_ kind: String, id: Int, store: String) {
        member("kind") { $0.string(kind) }
        member("id") { $0.int(id) }
        member("store") { $0.string(store) }
    }
}

extension PutRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("put", id: id, store: store)
            json.member("values") { json in
                json.dictionary(values) { json, source in
                    json.object { json in
                        switch source {
                        case .json(let value): json.member("json") { $0.value(value) }
                        case .textFile(let path): json.member("text_file") { $0.string(path) }
                        case .bytesFile(let path): json.member("bytes_file") { $0.string(path) }
                        }
                    }
                }
            }
        }
    }
}

extension MatchRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("match", id: id, store: store)
            json.member("value") { value.write(to: &$0) }
            json.member("cases") { $0.array(cases) { $0.value($1) } }
        }
    }
}

extension WorkerTaskRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("task", id: id, store: store)
            json.member("step") { $0.string(step) }
            json.member("task") { $0.string(task) }
            json.member("function") { json in
                json.object { json in
                    json.member("kind") { $0.string(function.kind.rawValue) }
                    json.member("source") { $0.string(function.source) }
                    json.member("name") { $0.string(function.name) }
                }
            }
            json.member("path") { $0.array(path) { $0.string($1) } }
            json.member("env") { $0.dictionary(env) { $0.string($1) } }
            json.member("bound") { $0.dictionary(bound) { $1.write(to: &$0) } }
            json.member("available") { $0.dictionary(available) { $1.write(to: &$0) } }
            json.member("outputs") { json in
                json.object { json in
                    json.member("kind") { $0.string(outputs.kind.rawValue) }
                    json.member("names") { $0.array(outputs.names) { $0.string($1) } }
                }
            }
            json.member("code") { $0.array(code) { $1.write(to: &$0) } }
        }
    }
}

extension CodeFileRef {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.member("path") { $0.string(path) }
            json.member("blob") { $0.string(blob) }
            if let module { json.member("module") { $0.string(module) } }
        }
    }
}

extension ValueRef {
    func write(to json: inout JSONWriter) {
        json.object { json in
            switch self {
            case let .blob(hash, path):
                json.member("blob") { $0.string(hash) }
                if !path.isEmpty { json.member("path") { $0.array(path) { $1.write(to: &$0) } } }
            case let .literal(value): json.member("literal") { $0.value(value) }
            case let .list(items): json.member("list") { $0.array(items) { $1.write(to: &$0) } }
            case let .namespaces(branches, steps):
                json.member("namespaces") { json in
                    json.array(branches) { json, branch in json.dictionary(branch) { $1.write(to: &$0) } }
                }
                if let steps { json.member("steps") { $0.array(steps) { $0.string($1) } } }
            }
        }
    }
}

extension PathStep {
    func write(to json: inout JSONWriter) {
        switch self {
        case .attr(let name): json.array(["attr", name]) { $0.string($1) }
        case .key(let key): json.array(["key", key]) { $0.string($1) }
        case .index(let index):
            json.raw("[\"index\",")
            json.int(index)
            json.raw("]")
        }
    }
}
