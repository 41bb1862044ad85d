import FlowGraph

extension ExecutionPlan.PlannedStep {
    /// How the step connects, in the store's words (specs/store-format.md, `steps.kind`).
    public var kind: String {
        if step.isLast { return "end" }
        if join != nil { return "join" }
        if step.foreach != nil { return "foreach" }
        if !routes.isEmpty { return "switch" }
        if next.count > 1 { return "branch" }
        return "linear"
    }
}
