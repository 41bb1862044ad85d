import FlowGraph

/// When a watched step can get no further task: none of its tasks is left (queued, waiting,
/// running or between retries) and none of any step it can be reached from, along any edge,
/// a loop's included. Each such moment is reported once; a loop that brings the step back
/// opens it again. An executor that holds workers for a step (Slurm pilots) lets them go then.
struct StepDrain {
    /// Each watched step and every step it can be reached from, itself included.
    private let upstream: [String: Set<String>]
    private var live: [String: Int] = [:]
    /// Watched steps with a task since they were last reported.
    private var open: Set<String> = []

    init(plan: ExecutionPlan, watching steps: Set<String>) {
        var parents: [String: Set<String>] = [:]
        for name in plan.order {
            guard let step = plan[name] else { continue }
            for child in step.next + step.routes.map(\.target) { parents[child, default: []].insert(name) }
        }
        upstream = Dictionary(uniqueKeysWithValues: steps.map { step in
            var found: Set<String> = [step], frontier = [step]
            while let name = frontier.popLast() {
                for parent in parents[name] ?? [] where found.insert(parent).inserted { frontier.append(parent) }
            }
            return (step, found)
        })
    }

    mutating func queued(_ step: String) {
        live[step, default: 0] += 1
        if upstream[step] != nil { open.insert(step) }
    }

    mutating func ended(_ step: String) {
        live[step, default: 0] -= 1
    }

    /// The watched steps that have just been drained, each reported once until it opens again.
    mutating func takeDrained() -> [String] {
        guard !open.isEmpty else { return [] }
        let drained = open.filter { step in upstream[step]?.allSatisfy { live[$0, default: 0] == 0 } ?? true }
        open.subtract(drained)
        return drained.sorted()
    }
}
