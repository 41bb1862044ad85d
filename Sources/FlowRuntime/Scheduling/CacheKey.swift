import FlowBasics
import FlowGraph

/// What a task's key covers, and the key: the values it hashes, by parameter.
public struct TaskIdentity: Hashable, Sendable {
    public let key: String
    /// The names its function takes by name (as its worker reported), sorted.
    public let parameters: [String]
    /// Those bound by `with` and `args`, and the visible names its function takes by name.
    public let inputs: [String: ValueSource]
}

/// A task's cache key (docs/spec.md, "Task keys"): the SHA-256 of its step's code and
/// environment fingerprint (made by whoever runs the plan, who reads the files), every value it
/// binds by content (artifacts by blob hash and accessors, literals by their JSON), and the
/// shape of its outputs. Of the names visible to it, only those its function can take by its
/// own name count (`parameters`, as a worker reported them for this fingerprint): another
/// artifact changing elsewhere leaves the key alone.
public enum CacheKey {
    public static func of(_ request: TaskRequest, step fingerprint: String, parameters: [String]) -> TaskIdentity {
        var inputs = request.bound
        for name in parameters where inputs[name] == nil {
            if let value = request.available[name] { inputs[name] = value }
        }
        let parameters = parameters.sorted()
        var text = "flowspec task key 2\n" + fingerprint + "\n" + outputs(request.outputs) + "\n"
        text += "takes " + parameters.joined(separator: ",") + "\n"
        for (name, value) in inputs.sorted(by: { $0.key < $1.key }) {
            text += "input " + name + "=" + encode(value) + "\n"
        }
        return TaskIdentity(key: SHA256.hex(SHA256.hash(Array(text.utf8))), parameters: parameters, inputs: inputs)
    }

    /// One line of text that two values share only when their content is the same.
    public static func encode(_ value: ValueSource) -> String {
        switch value {
        case .artifact(let ref, let path):
            return "blob:" + ref.blob + path.map(accessor).joined()
        case .literal(let value):
            return "json:" + json(value)
        case .list(let items):
            return "[" + items.map(encode).joined(separator: ",") + "]"
        case .namespaces(let spaces, let steps):
            let each = spaces.map { space in
                "{" + space.sorted { $0.key < $1.key }.map { $0.key + "=" + encode($0.value) }.joined(separator: ",") + "}"
            }
            return "ns(" + (steps ?? []).joined(separator: ",") + ")[" + each.joined(separator: ",") + "]"
        }
    }

    private static func accessor(_ accessor: Reference.Accessor) -> String {
        switch accessor {
        case .attribute(let name): ".\(name)"
        case .index(let index): "[\(index)]"
        case .key(let key): "[" + json(.string(key)) + "]"
        }
    }

    private static func json(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func outputs(_ shape: OutputShape) -> String {
        switch shape {
        case .single(let name): "outputs single " + name
        case .unpacked(let names): "outputs unpacked " + names.joined(separator: ",")
        case .mapping: "outputs mapping"
        case .stepName(let name): "outputs step " + name
        }
    }
}
