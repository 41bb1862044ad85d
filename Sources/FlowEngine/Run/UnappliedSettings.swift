import FlowSpec

/// Step settings the spec language has but this build's runner does not apply yet. A run says
/// so at its start rather than silently going without them.
public enum UnappliedSettings {
    /// One warning line per setting some step asks for, naming the steps.
    public static func warnings(for spec: Spec) -> [String] {
        // The step's own value, else the one in `defaults`.
        let checks: [(String, (StepSettings) -> Bool)] = [
            ("cache", { ($0.cache ?? spec.defaults.cache) == true }),
            ("isolate", { ($0.isolate ?? spec.defaults.isolate) == true }),
        ]
        return checks.compactMap { key, isSet in
            let steps = spec.steps.filter { isSet($0.settings) }.map(\.name.value)
            guard !steps.isEmpty else { return nil }
            return "warning: this build does not apply '\(key)' yet (set for \(quotedStepList(steps))); the run goes on without it"
        }
    }

    private static func quotedStepList(_ steps: [String]) -> String {
        steps.count > 4 ? "\(steps.count) steps" : steps.map { "'\($0)'" }.joined(separator: ", ")
    }
}
