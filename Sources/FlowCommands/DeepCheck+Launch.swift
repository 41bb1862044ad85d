import FlowEngine
import FlowGraph
import FlowSpec
import PythonBridge

extension DeepCheck {
    /// For `lint --deep`: each step's environment as `run` with `store` would find it; nil when
    /// the spec has no plan (its errors are reported already).
    init?(spec: Spec, store: String) {
        self.init(spec: spec, store: store, builtAgainst: PythonBridge.headerVersion)
    }

    /// For `run`, `resume` and `plan`: the launch's environments.
    init(launch: FlowLaunch) {
        self.init(plan: launch.plan, graph: StepGraph(spec: launch.spec), specFolder: launch.specFolder,
                  environments: launch.environments)
    }
}
