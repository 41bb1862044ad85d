/// `${VAR}` in `env` values (docs/spec.md section 2), taken from the env flowspec was started
/// in; `$$` is a literal `$`. An unset variable expands to nothing, as in a shell.
public enum EnvExpansion {
    /// A description of the first malformed `${...}`, or nil when the value is well formed.
    public static func problem(in value: String) -> String? {
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" { rest = rest.dropFirst(); continue }
            guard rest.first == "{" else { continue }
            guard let close = rest.firstIndex(of: "}") else { return "a '${' without its closing '}'" }
            let name = String(rest[rest.index(after: rest.startIndex)..<close])
            guard Identifier.isValid(name) else { return "'${\(name)}', which names no valid variable" }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// `value` with every `${VAR}` replaced by its value in `env`.
    public static func expand(_ value: String, from env: [String: String]) -> String {
        var result = ""
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
            } else if rest.first == "{", let close = rest.firstIndex(of: "}") {
                result += env[String(rest[rest.index(after: rest.startIndex)..<close])] ?? ""
                rest = rest[rest.index(after: close)...]
            } else {
                result += "$"
            }
        }
        return result + rest
    }
}
