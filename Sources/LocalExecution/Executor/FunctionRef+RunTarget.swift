import FlowBasics
import WorkerProtocol

extension FunctionRef {
    /// The worker's name for a step's `run:` target; `resolve` makes a file or notebook path
    /// the worker can open (the module of a `module:` target is imported by name, as written).
    public init(_ target: RunTarget, resolvingPath resolve: (String) -> String) {
        switch target.source {
        case .module(let name): self.init(kind: .module, source: name, name: target.function)
        case .file(let path): self.init(kind: .file, source: resolve(path), name: target.function)
        case .notebook(let path): self.init(kind: .notebook, source: resolve(path), name: target.function)
        }
    }
}
