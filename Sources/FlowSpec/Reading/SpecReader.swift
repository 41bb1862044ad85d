import FlowBasics

/// Turns a located node tree into a `Spec`, reporting every key and value that does not fit
/// docs/spec.md sections 1-4. It reads on past errors, so one pass finds them all.
struct SpecReader {
    static let supportedVersion = 1

    var reader = NodeReader()
    let file: String

    init(file: String) { self.file = file }

    mutating func read(_ root: Node) -> Spec {
        var spec = Spec(file: file)
        guard let entries = reader.mapping(root, "the spec", allowed: SpecKeys.topLevel,
                                           hint: "a spec is a mapping with 'flowspec', 'name' and 'steps'") else { return spec }
        for entry in entries {
            let value = entry.value
            switch entry.name {
            case "flowspec": spec.version = version(value)
            case "name": spec.name = reader.identifier(value, "the flow name")
            case "description": spec.description = reader.string(value, "'description'")?.value
            case "project": spec.project = reader.identifier(value, "the project name")
            case "python": spec.python = python(value, "'python'")
            case "env": spec.env = environment(value, "'env'")
            case "params": spec.params = params(value)
            case "defaults": spec.defaults = defaults(value)
            case "steps": spec.steps = steps(value)
            default: break
            }
        }
        requireKeys(["flowspec": "flowspec: 1", "name": "name: MyFlow", "steps": "steps: {start: {run: 'steps.py:start'}}"],
                    in: entries, of: root, what: "the spec")
        return spec
    }

    /// Reports each key of `required` (name -> an example) missing from a mapping.
    mutating func requireKeys(_ required: KeyValuePairs<String, String>, in entries: [Node.Entry], of node: Node, what: String) {
        for (key, example) in required where !entries.contains(where: { $0.name == key }) {
            reader.report(.missingKey, at: SourceSpan(file: node.span.file, start: node.span.start, end: node.span.start),
                          "\(what) has no '\(key)'", hint: "add '\(example)'")
        }
    }

    private mutating func version(_ node: Node) -> Located<Int>? {
        guard case .int(let value) = node.value else {
            reader.wrongType(node, "'flowspec'", expected: "the format version number", hint: "write 'flowspec: 1'")
            return nil
        }
        guard value == Self.supportedVersion else {
            reader.report(.unsupportedVersion, at: node.span,
                          "spec format version \(value) is not supported; this flowspec reads version \(Self.supportedVersion)",
                          hint: value > Self.supportedVersion ? "upgrade flowspec to run this spec" : "write 'flowspec: 1'")
            return nil
        }
        return Located(value, at: node.span)
    }

    private mutating func steps(_ node: Node) -> [Step] {
        guard let entries = reader.mapping(node, "'steps'", hint: "write each step as 'NAME: {run: ...}' under 'steps'") else { return [] }
        if entries.isEmpty {
            reader.report(.noSteps, at: node.span, "the flow has no steps", hint: "add at least one step, e.g. 'start: {run: steps.py:start}'")
        }
        return entries.map { step($0) }
    }
}
