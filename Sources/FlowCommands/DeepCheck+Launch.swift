import FlowEngine
import FlowGraph
import FlowSpec
import PythonBridge

extension DeepCheck {
    /// For `lint --deep`: each step's environment as `run` with `store` would find it.
    init(plan: ExecutionPlan, spec: Spec, store: String) {
        self.init(plan: plan, spec: spec, store: store, builtAgainst: PythonBridge.headerVersion)
    }

    /// For `run`, `resume` and `plan`: the launch's environments.
    init(launch: FlowLaunch) {
        self.init(plan: launch.plan, spec: launch.spec, specFolder: launch.specFolder, environments: launch.environments)
    }
}
