import FlowBasics
import FlowStore

/// The Python environments of a run, as `inspect` shows them.
enum InspectEnvironments {
    /// `python3 on PATH`, `venv .venv`, `requirements [a==1, b] (HASH)`.
    static func label(_ environment: RunEnvironmentRecord) -> String {
        switch environment.kind {
        case .venv: "venv \(environment.location ?? "?")"
        case .requirements: "requirements [\(environment.requirements.joined(separator: ", "))]"
            + (environment.hash.map { " (\($0))" } ?? "")
        case .path: "python3 on PATH"
        }
    }

    /// The environment `step` ran in.
    static func of(_ step: String, in environments: [RunEnvironmentRecord]) -> RunEnvironmentRecord? {
        environments.first { $0.steps.contains(step) }
    }

    static func text(_ environments: [RunEnvironmentRecord], color: Bool) -> String {
        var text = InspectText.section("environments", color: color)
        guard !environments.isEmpty else { return text + "  not recorded\n" }
        for environment in environments {
            var origin = ""
            if environment.kind == .requirements {
                origin = environment.built
                    ? ", built by this run" + (environment.buildSeconds.map { " in \(ReadingFormat.duration($0))" } ?? "")
                    : ", reused"
            }
            text += "  \(label(environment))\(origin)\n"
            let packages = environment.packages?.sorted { $0.key.lowercased() < $1.key.lowercased() }
            text += InspectText.fields([
                ("python", environment.pythonVersion.map { $0 + (environment.pythonExecutable.map { " (\($0))" } ?? "") }),
                ("steps", environment.steps.joined(separator: ", ")),
                ("packages", packages.map { $0.isEmpty ? "none" : $0.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }),
            ]).split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        }
        return text
    }

    static func json(_ environment: RunEnvironmentRecord) -> JSONValue {
        .object([
            "kind": .string(environment.kind.rawValue), "location": .optional(environment.location), "hash": .optional(environment.hash),
            "requirements": .array(environment.requirements.map(JSONValue.string)),
            "python": .object(["version": .optional(environment.pythonVersion), "executable": .optional(environment.pythonExecutable)]),
            "packages": environment.packages.map { .object($0.mapValues(JSONValue.string)) } ?? .null,
            "steps": .array(environment.steps.map(JSONValue.string)),
            "built_by_run": .bool(environment.built), "build_seconds": .optional(environment.buildSeconds),
        ])
    }
}
