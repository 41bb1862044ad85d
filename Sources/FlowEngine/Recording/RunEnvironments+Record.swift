import FlowGraph
import FlowStore
import LocalExecution

extension RunEnvironments.Entry {
    /// What the store keeps of this environment for the run.
    public var stored: RunEnvironmentRecord {
        let location: String?, requirements: [String]
        switch source {
        case .path: (location, requirements) = (nil, [])
        case .venv(let written): (location, requirements) = (written, [])
        case .requirements(let list): (location, requirements) = (folder, list)
        }
        return RunEnvironmentRecord(
            kind: RunEnvironmentRecord.Kind(source), location: location, hash: builder?.hash, requirements: requirements,
            pythonVersion: python?.version, pythonExecutable: python?.executable,
            packages: self.record.map { Dictionary($0.packages.map { ($0.name, $0.version) }) { first, _ in first } },
            steps: steps, built: builtNow, buildSeconds: builtNow ? self.record?.buildSeconds : nil)
    }
}

extension RunEnvironmentRecord.Kind {
    /// What the store calls a step's environment.
    public init(_ source: StepEnvironment) {
        switch source {
        case .path: self = .path
        case .venv: self = .venv
        case .requirements: self = .requirements
        }
    }
}
