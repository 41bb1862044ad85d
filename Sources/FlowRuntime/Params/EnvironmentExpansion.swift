import FlowBasics
import FlowSpec

/// The `env` a task runs with.
public enum EnvironmentExpansion {
    /// The flow's `env` under a step's own, every value expanded.
    public static func environment(flow: [EnvVar], step: [EnvVar], caller: [String: String]) -> [String: String] {
        var merged: [String: String] = [:]
        for variable in flow + step { merged[variable.name.value] = EnvExpansion.expand(variable.value.value, from: caller) }
        return merged
    }
}
