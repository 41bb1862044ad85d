import FlowBasics
import FlowGraph
import FlowSpec

/// Step settings the spec language has but this build's runner does not apply yet. A run says
/// so at its start rather than silently going without them.
public enum UnappliedSettings {
    /// One warning line per setting some step asks for, naming the steps in declaration order.
    public static func warnings(for plan: ExecutionPlan, in spec: Spec) -> [String] {
        let steps = spec.steps.compactMap { plan[$0.name.value] }
        let checks: [(String, (ExecutionPlan.PlannedStep) -> Bool)] = [("isolate", \.isolate)]
        return checks.compactMap { key, isSet in
            let named = steps.filter(isSet).map(\.name)
            guard !named.isEmpty else { return nil }
            return "warning: this build does not apply '\(key)' yet (set for \(quotedStepList(named))); the run goes on without it"
        }
    }

    private static func quotedStepList(_ steps: [String]) -> String {
        steps.count > 4 ? "\(steps.count) steps" : steps.map { "'\($0)'" }.joined(separator: ", ")
    }
}
