import FlowBasics
import FlowSpec

extension ExecutionPlan.PlannedStep {
    /// `step` of a linted graph, with the settings that apply to it resolved.
    init(_ step: Step, id: StepID, in linted: LintedGraph, join: ExecutionPlan.Join?, closingJoin: String?) {
        let spec = linted.graph.spec
        let settings = spec.settings(of: step)
        let routes = Self.routes(of: step, graph: linted.graph)
        name = step.name.value
        kind = Self.kind(of: step, join: join, routes: routes)
        next = step.next.map(\.value)
        self.routes = routes
        switchOn = step.switchOn?.on?.value
        foreach = step.foreach?.value
        self.join = join
        self.closingJoin = closingJoin
        opensBranches = EdgeReader.opensBranches(step)
        isLast = step.isLast
        function = step.run?.value
        literals = step.with.map { ExecutionPlan.Literal(parameter: $0.parameter.value, value: $0.value.json) }
        args = step.args.map { ExecutionPlan.Argument(parameter: $0.parameter.value, reference: $0.reference.value) }
        outputs = step.outputShape
        visibleNames = linted.flow.visibleNames(of: id, graph: linted.graph)
        report = step.report.map(\.value)
        retry = settings.retry?.value
        timeout = settings.timeout?.value
        catchName = step.run == nil ? nil : settings.catchName?.value
        maxIterations = settings.maxIterations?.value
        concurrency = settings.concurrency?.value
        resources = settings.resources?.value
        env = Dictionary((spec.env + settings.env).map { ($0.name.value, $0.value.value) }) { _, later in later }
        importRoots = settings.python?.path.map(\.value) ?? []
        environment = StepEnvironment(settings.python)
        cache = settings.cache == true
        isolate = settings.isolate == true
        executor = settings.executor?.value
        slurm = settings.slurm?.value
    }

    private static func kind(of step: Step, join: ExecutionPlan.Join?, routes: [ExecutionPlan.Route]) -> ExecutionPlan.StepKind {
        if step.isLast { return .end }
        if join != nil { return .join }
        if step.foreach != nil { return .foreach }
        if !routes.isEmpty { return .switch }
        if step.next.count > 1 { return .branch }
        return .linear
    }

    private static func routes(of step: Step, graph: StepGraph) -> [ExecutionPlan.Route] {
        guard let choice = step.switchOn else { return [] }
        let loops = Set(graph.backEdges.filter { $0.from == step.name.value }.map(\.to))
        var routes = choice.cases.map { route in
            ExecutionPlan.Route(value: route.value.json, label: route.value.scalarText ?? "", target: route.target.value,
                                isLoop: loops.contains(route.target.value))
        }
        if let fallback = choice.defaultTarget {
            routes.append(ExecutionPlan.Route(value: nil, label: "default", target: fallback.value,
                                              isLoop: loops.contains(fallback.value)))
        }
        return routes
    }
}
