import FlowBasics
import FlowGraph
import FlowRuntime

/// The run's cpu and memory budget, and what the user should know about it before anything runs.
extension RunOptions {
    /// The machine's cores and memory, or `--max-cpu`/`--max-memory`. A step whose one task asks
    /// for more ends the command with status 1; GPUs and a `--max-workers` the budget cannot
    /// fill are warned about.
    func resourceLimits(for plan: ExecutionPlan, elsewhere: Set<String>) throws -> ResourceLimits {
        let machine = ResourceLimits.machine()
        var limits = ResourceLimits(cpu: maxCpu ?? machine.cpu, memory: maxMemorySize?.bytes ?? machine.memory)
        limits.elsewhere = elsewhere
        let excesses = limits.excesses(in: plan)
        for excess in excesses { Terminal.writeError(message(for: excess, in: plan) + "\n") }
        guard excesses.isEmpty else { throw CommandFailure.specFailed }
        for warning in warnings(plan, limits: limits) { Terminal.writeError(warning + "\n") }
        return limits
    }

    private func message(for excess: ResourceLimits.Excess, in plan: ExecutionPlan) -> String {
        let (option, source) = excess.resource == "cpu"
            ? ("--max-cpu", maxCpu == nil ? "this machine's cores" : "--max-cpu")
            : ("--max-memory", maxMemorySize == nil ? "this machine's memory" : "--max-memory")
        let implicit = plan[excess.step].map { $0.resources?.cpu == nil } ?? false
        let asked = excess.resource == "cpu" && implicit ? "cpu 1 (the default)" : "\(excess.resource) \(excess.asked)"
        return "error: step '\(excess.step)' asks for \(asked) but the run may use \(excess.available) "
            + "(\(source)), so it could never start; lower its resources.\(excess.resource), or raise \(option) to at least \(excess.asked)"
    }

    private func warnings(_ plan: ExecutionPlan, limits: ResourceLimits) -> [String] {
        let steps = plan.order.compactMap { plan[$0] }.filter { $0.function != nil && !limits.elsewhere.contains($0.name) }
        var warnings: [String] = []
        let gpuSteps = steps.filter { $0.needs.gpu > 0 }.map(\.name)
        if !gpuSteps.isEmpty {
            warnings.append("warning: \(gpuSteps.count == 1 ? "step" : "steps") \(quotedList(gpuSteps)) \(gpuSteps.count == 1 ? "asks" : "ask") "
                + "for a GPU; the local executor does not reserve GPUs: tasks run with whatever GPUs the machine has")
        }
        let smallest = steps.map(\.needs.cpu).min() ?? 1
        if let maxWorkers, maxCpu == nil, Double(maxWorkers) * smallest > limits.cpu {
            let fit = Int(limits.cpu / smallest)
            warnings.append("warning: --max-workers \(maxWorkers), but at most \(fit) \(fit == 1 ? "task fits" : "tasks fit") in this machine's "
                + "\(Int(limits.cpu)) cores (a task without resources counts as 1 cpu); --max-cpu raises that")
        }
        return warnings
    }
}
