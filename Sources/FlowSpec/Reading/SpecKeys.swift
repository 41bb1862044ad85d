/// The keys each part of a spec may have (docs/spec.md section 1). The JSON Schema must agree;
/// a test holds them together.
public enum SpecKeys {
    public static let topLevel = ["flowspec", "name", "description", "project", "python", "env", "params", "defaults", "steps"]
    public static let step = [
        "run", "args", "with", "outputs", "next", "switch", "foreach", "join", "retry", "concurrency",
        "max_iterations", "timeout", "catch", "resources", "env", "python", "cache", "isolate",
        "executor", "slurm", "report",
    ]
    /// Step keys that only make sense on one step, so `defaults` may not set them.
    public static let stepOnly = ["run", "args", "with", "outputs", "next", "switch", "foreach", "join", "report"]
    public static var defaults: [String] { step.filter { !stepOnly.contains($0) } }
    public static let param = ["type", "default", "choices", "help", "binary"]
    public static let switchKeys = ["on", "cases", "default"]
    public static let retry = ["times", "delay", "backoff", "max_delay", "jitter"]
    public static let resources = ["cpu", "memory", "gpu"]
    public static let python = ["path", "requirements", "venv"]
    public static let slurm = ["partition", "account", "qos", "constraint", "pilots", "extra"]
    /// Names the runtime gives meaning to; no output may take them.
    public static let reservedNames = ["item", "index", "inputs"]
}
