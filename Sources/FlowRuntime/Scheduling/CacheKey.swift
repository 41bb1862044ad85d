import FlowBasics
import FlowGraph

/// A task's cache key (docs/spec.md, "Task keys"): the SHA-256 of its step's code and
/// environment fingerprint (made by whoever runs the plan, who reads the files), every value it
/// could bind by content (artifacts by blob hash and accessors, literals by their JSON), and the
/// shape of its outputs. Names it could bind by their own name count too, all of them: binding
/// happens in the worker, so a key that left one out could match a task that saw other values.
public enum CacheKey {
    public static func of(_ request: TaskRequest, step fingerprint: String) -> String {
        var text = "flowspec task key 1\n" + fingerprint + "\n" + outputs(request.outputs) + "\n"
        for (name, value) in request.bound.sorted(by: { $0.key < $1.key }) {
            text += "with " + name + "=" + encode(value) + "\n"
        }
        for (name, value) in request.available.sorted(by: { $0.key < $1.key }) {
            text += "sees " + name + "=" + encode(value) + "\n"
        }
        return SHA256.hex(SHA256.hash(Array(text.utf8)))
    }

    /// One line of text that two values share only when their content is the same.
    static func encode(_ value: ValueSource) -> String {
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
