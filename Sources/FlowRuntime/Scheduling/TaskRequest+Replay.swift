import FlowBasics
import FlowGraph

extension TaskRequest {
    /// A request for `key`'s step as the plan has it now (its current function, outputs, env
    /// and environment), given `inputs` by name: `flowspec step`, which runs a task of an
    /// earlier run again on the inputs it had. Nil when the step has no `run`.
    public static func replaying(_ key: TaskKey, in plan: ExecutionPlan, inputs: [String: ValueSource],
                                 callerEnv: [String: String]) -> TaskRequest? {
        guard let step = plan[key.step], let function = step.function else { return nil }
        var request = TaskRequest(key: key, name: plan.path(of: key), target: function, bound: [:], available: inputs,
                                  outputs: step.outputs, env: step.env.mapValues { EnvExpansion.expand($0, from: callerEnv) },
                                  importRoots: step.importRoots, attempt: 1, timeout: step.timeout?.seconds, needs: step.needs,
                                  environment: step.environment)
        request.isolated = step.isolate
        return request
    }
}
