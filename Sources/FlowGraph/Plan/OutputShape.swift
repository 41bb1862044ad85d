import FlowSpec

/// How a step's return value becomes artifacts (docs/spec.md section 3): what a step produces,
/// decided once for the data flow, the plan and the executors.
public enum OutputShape: Hashable, Sendable {
    case single(String)
    case unpacked([String])
    case mapping
    /// No `outputs`: a value other than None is stored under the step's name.
    case stepName(String)

    /// The names the return value is stored under (without `catch`); `outputs: "*"` names nothing
    /// known in advance.
    public var names: [String] {
        switch self {
        case .single(let name), .stepName(let name): [name]
        case .unpacked(let names): names
        case .mapping: []
        }
    }
}

extension Step {
    /// Its `outputs`, or its own name when it has none.
    var outputShape: OutputShape {
        switch outputs?.value {
        case .single(let name)?: .single(name)
        case .unpacked(let names)?: .unpacked(names.map(\.value))
        case .mapping?: .mapping
        case nil: .stepName(name.value)
        }
    }
}
