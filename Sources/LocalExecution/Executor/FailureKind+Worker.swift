import FlowRuntime
import WorkerProtocol

extension FailureKind {
    /// The kind of a failure the worker reported.
    public init(_ kind: WorkerFailure.Kind) {
        switch kind {
        case .exception: self = .exception
        case .import: self = .import
        case .binding: self = .binding
        case .outputs: self = .outputs
        case .pickle: self = .pickle
        case .foreach: self = .foreach
        case .store: self = .store
        }
    }
}
