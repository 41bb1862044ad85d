import FlowBasics
import FlowSpec

/// A spec's params as `flowspec params` and `flowspec run SPEC --help` list them: name, type,
/// default, choices and help, each value written as `-p NAME=VALUE` takes it.
enum ParamsTable {
    static func text(_ spec: Spec, color: Bool) -> String {
        guard !spec.params.isEmpty else { return "flow '\(spec.name?.value ?? "")' takes no params\n" }
        let rows = spec.params.map { param in
            [param.name.value, typeName(param), param.defaultValue.map { value($0, param) } ?? "required",
             param.choices.map { $0.map { value($0, param) }.joined(separator: " | ") } ?? "", param.help ?? ""]
        }
        return ReadingFormat.table(["NAME", "TYPE", "DEFAULT", "CHOICES", "HELP"], rows, color: color)
    }

    static func json(_ spec: Spec) -> JSONValue {
        .array(spec.params.map { param in
            .object([
                "name": .string(param.name.value), "type": .string(param.kind.rawValue), "binary": .bool(param.binary),
                "required": .bool(param.defaultValue == nil), "default": param.defaultValue.map(\.json) ?? .null,
                "choices": param.choices.map { .array($0.map(\.json)) } ?? .null, "help": .optional(param.help),
            ])
        })
    }

    private static func typeName(_ param: Param) -> String {
        param.kind == .file && param.binary ? "file (bytes)" : param.kind.rawValue
    }

    /// A value as it would be given on the command line: a `json` param's as JSON, any other's
    /// as the spec wrote it.
    private static func value(_ node: Node, _ param: Param) -> String {
        param.kind == .json ? node.json.jsonText : node.scalarText ?? node.json.jsonText
    }
}
