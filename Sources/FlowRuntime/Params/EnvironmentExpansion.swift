import FlowSpec

/// `${VAR}` in `env` values, taken from the environment flowspec was started in; `$$` is a
/// literal `$`. An unset variable expands to nothing, as in a shell.
public enum EnvironmentExpansion {
    public static func expand(_ value: String, from environment: [String: String]) -> String {
        var result = ""
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
            } else if rest.first == "{", let close = rest.firstIndex(of: "}") {
                result += environment[String(rest[rest.index(after: rest.startIndex)..<close])] ?? ""
                rest = rest[rest.index(after: close)...]
            } else {
                result += "$"
            }
        }
        return result + rest
    }

    /// The flow's `env` under a step's own, every value expanded.
    public static func environment(flow: [EnvVar], step: [EnvVar], caller: [String: String]) -> [String: String] {
        var merged: [String: String] = [:]
        for variable in flow + step { merged[variable.name.value] = expand(variable.value.value, from: caller) }
        return merged
    }
}
