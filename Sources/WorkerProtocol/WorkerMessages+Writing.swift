import FlowBasics

// The one writer of what the scheduler sends, `JSONWriter`: it keeps a float a float (`2.0`,
// where JSONEncoder writes `2`), integers of any size and the order of keys, and spends a
// fraction of JSONEncoder's time on the task request sent for every task. The worker's own two
// messages (its hello, and the answer to a request its helpers could not handle) are written
// here too; every other response is Python's (`handler.py`).

extension WorkerRequest {
    /// The request's JSON text, as its frame's payload.
    public func payload() -> [UInt8] {
        var json = JSONWriter()
        switch self {
        case .task(let task): task.write(to: &json)
        case .put(let put): put.write(to: &json)
        case .match(let match): match.write(to: &json)
        case .length(let request): request.write("length", to: &json)
        case .repr(let request): request.write("repr", to: &json)
        case .preview(let request): request.write("preview", to: &json)
        case .dump(let dump): dump.write(to: &json)
        case .check(let check): check.write(to: &json)
        case .exit(let id): json.object { $0.member("kind") { $0.string("exit") }; $0.member("id") { $0.int(id) } }
        }
        return json.bytes
    }
}

extension WorkerHello {
    /// The hello's JSON text.
    public func payload() -> [UInt8] {
        var json = JSONWriter(capacity: 128)
        json.object { json in
            json.member("kind") { $0.string(kind) }
            json.member("protocol") { $0.int(self.protocol) }
            json.member("pid") { $0.int(Int(pid)) }
            json.member("python") { $0.string(python) }
            json.member("executable") { $0.string(executable) }
        }
        return json.bytes
    }
}

extension WorkerResponse {
    /// A `failed` response's JSON text.
    public static func failedPayload(id: Int, _ failure: WorkerFailure) -> [UInt8] {
        var json = JSONWriter()
        json.object { json in
            json.member("id") { $0.int(id) }
            json.member("status") { $0.string(Status.failed.rawValue) }
            json.member("error") { json in
                json.object { json in
                    json.member("kind") { $0.string(failure.kind.rawValue) }
                    json.member("type") { $0.string(failure.type) }
                    json.member("message") { $0.string(failure.message) }
                    json.member("traceback") { $0.string(failure.traceback) }
                }
            }
        }
        return json.bytes
    }
}

extension JSONWriter {
    /// The members every request starts with.
    fileprivate mutating func requestHeader(_ kind: String, id: Int, store: String?) {
        member("kind") { $0.string(kind) }
        member("id") { $0.int(id) }
        if let store { member("store") { $0.string(store) } }
    }

    /// The run a value belongs to and its code snapshot, when the request names them.
    fileprivate mutating func runAndCode(_ run: String?, _ code: [CodeFileRef]?) {
        if let run { member("run") { $0.string(run) } }
        if let code { member("code") { $0.array(code) { $1.write(to: &$0) } } }
    }

    fileprivate mutating func function(_ function: FunctionRef) {
        member("function") { json in
            json.object { json in
                json.member("kind") { $0.string(function.kind.rawValue) }
                json.member("source") { $0.string(function.source) }
                json.member("name") { $0.string(function.name) }
            }
        }
    }

    fileprivate mutating func strings(_ key: String, _ values: [String]) {
        member(key) { $0.array(values) { $0.string($1) } }
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
            json.runAndCode(nil, code)
        }
    }
}

extension WorkerTaskRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("task", id: id, store: store)
            json.member("step") { $0.string(step) }
            json.member("task") { $0.string(task) }
            json.function(function)
            json.strings("path", path)
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
            if let run {
                json.member("flow") { $0.string(run.flow) }
                json.member("run") { $0.string(run.id) }
                if let origin = run.origin { json.member("origin_run") { $0.string(origin) } }
            }
            json.member("attempt") { $0.int(attempt) }
            if let index { json.member("index") { $0.int(index) } }
        }
    }
}

extension ValueRequest {
    func write(_ kind: String, to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader(kind, id: id, store: store)
            json.member("value") { value.write(to: &$0) }
            json.runAndCode(run, code)
        }
    }
}

extension DumpRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("dump", id: id, store: store)
            json.member("value") { value.write(to: &$0) }
            json.member("path") { $0.string(path) }
            json.runAndCode(run, code)
        }
    }
}

extension CheckRequest {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.requestHeader("check", id: id, store: nil)
            json.member("steps") { json in
                json.array(steps) { json, step in
                    json.object { json in
                        json.member("step") { $0.string(step.step) }
                        json.function(step.function)
                        json.strings("path", step.path)
                        json.strings("visible", step.visible)
                        json.strings("bound", step.bound)
                    }
                }
            }
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
                if let steps { json.strings("steps", steps) }
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
