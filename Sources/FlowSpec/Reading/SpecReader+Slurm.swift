import FlowBasics

extension SpecReader {
    /// `executor: local` or `executor: slurm`.
    mutating func executor(_ node: Node) -> Located<ExecutorKind>? {
        guard let name = reader.string(node, "'executor'") else { return nil }
        guard let kind = ExecutorKind(rawValue: name.value) else {
            let choices = ExecutorKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            reader.report(.badChoices, at: node.span, "'executor' '\(name.value)' is not an executor",
                          hint: "write \(choices)")
            return nil
        }
        return Located(kind, at: node.span)
    }

    /// `slurm: {partition, account, qos, constraint, pilots, extra: [...]}`.
    mutating func slurm(_ node: Node) -> Located<SlurmSettings>? {
        guard let entries = reader.mapping(node, "'slurm'", allowed: SpecKeys.slurm) else { return nil }
        var slurm = SlurmSettings()
        for entry in entries {
            let what = "'slurm.\(entry.name)'"
            switch entry.name {
            case "partition": slurm.partition = reader.string(entry.value, what)?.value
            case "account": slurm.account = reader.string(entry.value, what)?.value
            case "qos": slurm.qos = reader.string(entry.value, what)?.value
            case "constraint": slurm.constraint = reader.string(entry.value, what)?.value
            case "pilots": slurm.pilots = reader.integer(entry.value, what, atLeast: 1)?.value
            case "extra":
                slurm.extra = (reader.list(entry.value, what, allowSingle: false) ?? []).compactMap {
                    reader.string($0, "an sbatch argument in 'slurm.extra'")?.value
                }
            default: break
            }
        }
        return Located(slurm, at: node.span)
    }
}
