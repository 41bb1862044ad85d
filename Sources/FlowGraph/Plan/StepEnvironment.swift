import FlowSpec

/// The Python environment a step asks for (docs/spec.md section 4), as the spec writes it.
public enum StepEnvironment: Hashable, Sendable, CustomStringConvertible {
    /// The `python3` on PATH.
    case path
    /// An existing virtual environment; the folder as written, relative to the spec's folder.
    case venv(String)
    /// An environment flowspec builds for these requirements, normalized (`Requirements`).
    case requirements([String])

    public var description: String {
        switch self {
        case .path: "python3 on PATH"
        case .venv(let folder): "venv \(folder)"
        case .requirements(let list): "requirements [\(list.joined(separator: ", "))]"
        }
    }
}

extension StepEnvironment {
    /// The environment of a step's resolved `python` (`Spec.settings(of:)`): its `venv` or its
    /// `requirements`, else the `python3` on PATH.
    init(_ python: PythonSettings?) {
        if let venv = python?.venv?.value {
            self = .venv(venv)
        } else if let list = python?.requirements {
            self = .requirements(Requirements.normalized(list.map(\.value)))
        } else {
            self = .path
        }
    }
}

/// Requirement lists in one canonical form, so that the same set written differently
/// (order, spaces, letter case of names, duplicates) names the same environment.
public enum Requirements {
    public static func normalized(_ list: [String]) -> [String] {
        Set(list.map(normalized).filter { !$0.isEmpty }).sorted()
    }

    /// `Pandas >= 2` → `pandas>=2`. Environment markers (`; python_version < "3.12"`) keep
    /// single spaces, which separate their words; URLs and paths keep their case.
    static func normalized(_ requirement: String) -> String {
        let words = requirement.split(whereSeparator: \.isWhitespace)
        let compact = words.joined(separator: requirement.contains(";") ? " " : "")
        return compact.contains("@") || compact.contains("/") ? compact : compact.lowercased()
    }
}
