import FlowStore

extension RunSnapshot {
    /// A page shows at most this many of the artifacts its steps' `report:` names.
    public static let reportedLimit = 30

    /// The artifacts the steps' `report:` names, shown first on the run's pages: steps in
    /// declaration order, each step's names in the order written, each name's tasks in task
    /// order; at most `limit`.
    public func reported(from reader: StoreReader, limit: Int = reportedLimit) throws -> [ArtifactRecord] {
        var found: [ArtifactRecord] = []
        for step in steps {
            for name in step.report where found.count < limit {
                found += try reader.artifacts(named: name, ofStep: step.name, in: run.id, limit: limit - found.count)
            }
        }
        return found
    }

    /// How many names the steps' `report:` lists: a run whose steps name none has no such section.
    public var reportedNames: Int { steps.reduce(0) { $0 + $1.report.count } }
}
