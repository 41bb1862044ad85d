extension Spec {
    /// The settings that apply to `step`, the one place `defaults` is read: each its own value,
    /// else the one `defaults` gives; `env` its own list if it has one, else the defaults'.
    /// `python` combines the step's, the defaults' and the flow's (docs/spec.md section 4): the
    /// import roots of all three in that order, and the `venv` or `requirements` of the first
    /// that sets either.
    public func settings(of step: Step) -> StepSettings {
        let own = step.settings
        var applied = StepSettings()
        applied.retry = own.retry ?? defaults.retry
        applied.concurrency = own.concurrency ?? defaults.concurrency
        applied.maxIterations = own.maxIterations ?? defaults.maxIterations
        applied.timeout = own.timeout ?? defaults.timeout
        applied.catchName = own.catchName ?? defaults.catchName
        applied.resources = own.resources ?? defaults.resources
        applied.env = own.env.isEmpty ? defaults.env : own.env
        applied.python = Self.combined([own.python, defaults.python, python].compactMap { $0 })
        applied.cache = own.cache ?? defaults.cache
        applied.isolate = own.isolate ?? defaults.isolate
        applied.executor = own.executor ?? defaults.executor
        applied.slurm = own.slurm ?? defaults.slurm
        return applied
    }

    private static func combined(_ layers: [PythonSettings]) -> PythonSettings? {
        guard !layers.isEmpty else { return nil }
        var python = PythonSettings()
        python.path = layers.flatMap(\.path)
        if let chosen = layers.first(where: { $0.venv != nil || $0.requirements != nil }) {
            // Only a spec with errors sets both in one layer ('cannot both be set'): venv wins.
            python.venv = chosen.venv
            python.requirements = chosen.venv == nil ? chosen.requirements : nil
        }
        return python
    }
}
