/// A key of a step (or of `defaults`), told apart once per entry: reading a step then switches
/// on this enum in each pass instead of comparing the key's text with every name again.
enum StepKey {
    case run, args, with, outputs, next, `switch`, foreach, join, report
    case retry, concurrency, maxIterations, timeout, `catch`, resources, env, python, cache, isolate
    case executor, slurm

    /// The key named `name`, or nil for a name that is not in `SpecKeys.step`.
    init?(_ name: String) {
        // The keys most steps have come first: each case is one string comparison.
        switch name {
        case "run": self = .run
        case "args": self = .args
        case "outputs": self = .outputs
        case "next": self = .next
        case "join": self = .join
        case "foreach": self = .foreach
        case "with": self = .with
        case "switch": self = .switch
        case "retry": self = .retry
        case "concurrency": self = .concurrency
        case "max_iterations": self = .maxIterations
        case "timeout": self = .timeout
        case "catch": self = .catch
        case "resources": self = .resources
        case "env": self = .env
        case "python": self = .python
        case "cache": self = .cache
        case "isolate": self = .isolate
        case "executor": self = .executor
        case "slurm": self = .slurm
        case "report": self = .report
        default: return nil
        }
    }

    /// Whether `defaults` may set this key too: one of the keys `settings` reads.
    var isSetting: Bool {
        switch self {
        case .run, .args, .with, .outputs, .next, .switch, .foreach, .join, .report: false
        case .retry, .concurrency, .maxIterations, .timeout, .catch, .resources, .env, .python, .cache, .isolate, .executor, .slurm: true
        }
    }

    /// The keys of each entry, in order; nil for an unknown key.
    static func keys(of entries: [Node.Entry]) -> [StepKey?] {
        entries.map { StepKey($0.name) }
    }
}
