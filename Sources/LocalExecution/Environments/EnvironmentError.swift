/// Why a step's environment cannot be used or built.
public enum EnvironmentError: Error, CustomStringConvertible, Sendable {
    /// The installer failed; its output, trimmed.
    case install(tool: String, requirements: [String], culprits: [String], output: String)
    case tool(String)
    case io(String)

    public var description: String {
        switch self {
        case let .install(tool, requirements, culprits, output):
            let named = culprits.isEmpty ? requirements : culprits
            let what = named.count == 1 ? "'\(named[0])'" : "these requirements (\(named.map { "'\($0)'" }.joined(separator: ", ")))"
            return "\(tool) could not install \(what):\n" + output.split(separator: "\n").map { "  | \($0)" }.joined(separator: "\n")
        case let .tool(message), let .io(message):
            return message
        }
    }
}
