import FlowBasics

extension SpecReader {
    /// The step keys `defaults` may also set, read from a step's or the defaults' entries.
    /// `keys` are the entries' keys, as `StepKey.keys(of:)` tells them apart.
    mutating func settings(_ entries: [Node.Entry], keys: [StepKey?], _ what: @autoclosure () -> String) -> StepSettings {
        var settings = StepSettings()
        for (entry, key) in zip(entries, keys) {
            let value = entry.value
            switch key {
            case .retry?: settings.retry = retry(value)
            case .concurrency?: settings.concurrency = reader.integer(value, "'concurrency'", atLeast: 1)
            case .maxIterations?: settings.maxIterations = reader.integer(value, "'max_iterations'", atLeast: 1)
            case .timeout?: settings.timeout = reader.duration(value, "'timeout'")
            case .catch?: settings.catchName = reader.identifier(value, "the 'catch' artifact name")
            case .resources?: settings.resources = resources(value)
            case .env?: settings.env = environment(value, "'env' of \(what())")
            case .python?: settings.python = python(value, "'python' of \(what())")
            case .cache?: settings.cache = reader.bool(value, "'cache'")
            case .isolate?: settings.isolate = reader.bool(value, "'isolate'")
            case .executor?: settings.executor = executor(value)
            case .slurm?: settings.slurm = slurm(value)
            default: break
            }
        }
        return settings
    }

    mutating func defaults(_ node: Node) -> StepSettings {
        guard let entries = reader.mapping(node, "'defaults'") else { return StepSettings() }
        for entry in entries where !SpecKeys.defaults.contains(entry.name) {
            if SpecKeys.stepOnly.contains(entry.name) {
                reader.report(.notADefault, at: entry.key.span, "'\(entry.name)' cannot be set in 'defaults'",
                              hint: "'\(entry.name)' belongs to one step; set it on that step")
            } else {
                reader.unknownKey(entry, in: "'defaults'", allowed: SpecKeys.defaults)
            }
        }
        return settings(entries, keys: StepKey.keys(of: entries), "'defaults'")
    }

    private mutating func retry(_ node: Node) -> Located<RetryPolicy>? {
        if case .int = node.value {
            return reader.integer(node, "'retry'", atLeast: 0).map { Located(RetryPolicy(times: $0.value), at: node.span) }
        }
        guard let entries = reader.mapping(node, "'retry'", allowed: SpecKeys.retry,
                                           hint: "write 'retry: 2' or 'retry: {times: 2, delay: 5s}'") else { return nil }
        requireKeys(["times": "times: 2"], in: entries, of: node, what: "'retry'")
        var policy = RetryPolicy(times: 0)
        for entry in entries {
            switch entry.name {
            case "times": policy.times = reader.integer(entry.value, "'retry.times'", atLeast: 0)?.value ?? 0
            case "delay": policy.delay = reader.duration(entry.value, "'retry.delay'")?.value
            case "backoff": policy.backoff = reader.number(entry.value, "'retry.backoff'", above: 0)
            case "max_delay": policy.maxDelay = reader.duration(entry.value, "'retry.max_delay'")?.value
            case "jitter": policy.jitter = reader.bool(entry.value, "'retry.jitter'")
            default: break
            }
        }
        return Located(policy, at: node.span)
    }

    private mutating func resources(_ node: Node) -> Located<Resources>? {
        guard let entries = reader.mapping(node, "'resources'", allowed: SpecKeys.resources) else { return nil }
        var resources = Resources()
        for entry in entries {
            switch entry.name {
            case "cpu": resources.cpu = reader.number(entry.value, "'resources.cpu'", above: 0)
            case "gpu": resources.gpu = reader.integer(entry.value, "'resources.gpu'", atLeast: 0)?.value
            case "memory": resources.memory = memory(entry.value)
            default: break
            }
        }
        return Located(resources, at: node.span)
    }

    private mutating func memory(_ node: Node) -> MemorySize? {
        let text = node.scalarText ?? ""
        switch node.value {
        case .int, .float, .string:
            if let size = MemorySize(parsing: text), size.bytes > 0 { return size }
        default: break
        }
        reader.report(.invalidSize, at: node.span, "'resources.memory' '\(text)' is not a memory size",
                      hint: "write a number of megabytes, or a number with K, M, G or T: '512M', '4G'")
        return nil
    }

    mutating func environment(_ node: Node, _ what: String) -> [EnvVar] {
        guard let entries = reader.mapping(node, what) else { return [] }
        return entries.compactMap { entry in
            let name = Located(entry.name, at: entry.key.span)
            guard Identifier.isValid(name.value) else {
                reader.report(.invalidEnvName, at: name.span, "'\(name.value)' is not a valid environment variable name",
                              hint: "use letters, digits and '_', not starting with a digit")
                return nil
            }
            guard let value = reader.scalarText(entry.value, "the value of '\(name.value)'") else { return nil }
            if let problem = EnvExpansion.problem(in: value.value) {
                reader.report(.badExpansion, at: value.span, "the value of '\(name.value)' has \(problem)",
                              hint: "write '${NAME}' to use the caller's NAME, or '$$' for a literal '$'")
            }
            return EnvVar(name: name, value: value)
        }
    }

    mutating func python(_ node: Node, _ what: String) -> PythonSettings? {
        guard let entries = reader.mapping(node, what, allowed: SpecKeys.python) else { return nil }
        var settings = PythonSettings()
        for entry in entries {
            switch entry.name {
            case "path":
                settings.path = (reader.list(entry.value, "'python.path'", allowSingle: true) ?? []).compactMap {
                    reader.string($0, "an import root in 'python.path'")
                }
            case "requirements":
                settings.requirements = (reader.list(entry.value, "'python.requirements'", allowSingle: false) ?? []).compactMap {
                    reader.string($0, "a requirement")
                }
            case "venv": settings.venv = reader.string(entry.value, "'python.venv'")
            default: break
            }
        }
        checkExclusive(entries, "requirements", "venv",
                       hint: "'requirements' builds an environment; 'venv' runs in an existing one: choose one")
        return settings
    }
}
