import FlowRuntime
import FlowStore

import LocalExecution
extension RunEnvironments.Entry {
    /// What the store keeps of this environment for the run.
    public var stored: RunEnvironmentRecord {
        let kind: String, location: String?, requirements: [String]
        switch source {
        case .path: (kind, location, requirements) = ("path", nil, [])
        case .venv(let written): (kind, location, requirements) = ("venv", written, [])
        case .requirements(let list): (kind, location, requirements) = ("requirements", folder, list)
        }
        return RunEnvironmentRecord(
            kind: kind, location: location, hash: builder?.hash, requirements: requirements,
            pythonVersion: python?.version, pythonExecutable: python?.executable,
            packages: self.record.map { Dictionary($0.packages.map { ($0.name, $0.version) }) { first, _ in first } },
            steps: steps, built: builtNow, buildSeconds: builtNow ? self.record?.buildSeconds : nil)
    }
}
