#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FlowSpec

extension GraphRenderer {
    /// A stable document for tools: keys sorted, absent values as `null`.
    ///
    ///     {"edges": [{"from", "to", "kind", "label"}], "name",
    ///      "steps": [{"name", "run", "foreach", "join", "outputs", "next", "switch", "depth", "reachable"}]}
    public static func json(_ graph: StepGraph) -> String {
        let document = GraphDocument(
            name: graph.spec.name?.value,
            steps: displayOrder(graph).map { StepDocument($0, graph: graph) },
            edges: graph.edges.map(EdgeDocument.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

private struct GraphDocument: Encodable {
    var name: String?
    var steps: [StepDocument]
    var edges: [EdgeDocument]

    enum CodingKeys: CodingKey { case name, steps, edges }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(steps, forKey: .steps)
        try container.encode(edges, forKey: .edges)
    }
}

private struct StepDocument: Encodable {
    struct SwitchDocument: Encodable {
        struct Case: Encodable {
            var value: String
            var to: String
        }

        var on: String?
        var cases: [Case]
        var defaultTarget: String?

        enum CodingKeys: String, CodingKey { case on, cases, defaultTarget = "default" }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(on, forKey: .on)
            try container.encode(cases, forKey: .cases)
            try container.encode(defaultTarget, forKey: .defaultTarget)
        }
    }

    var name: String
    var run: String?
    var foreach: String?
    var join: Bool
    /// Declared output names; `["*"]` for a mapping; nil when the step declares none.
    var outputs: [String]?
    var next: [String]
    var switchOn: SwitchDocument?
    var depth: Int
    var reachable: Bool

    init(_ step: Step, graph: StepGraph) {
        name = step.name.value
        run = step.run?.value.written
        foreach = step.foreach?.value.description
        join = step.isJoin
        outputs = step.outputs?.value.names
        next = step.next.map(\.value)
        switchOn = step.switchOn.map { choice in
            SwitchDocument(
                on: choice.on?.value.description,
                cases: choice.cases.map { .init(value: $0.value.label, to: $0.target.value) },
                defaultTarget: choice.defaultTarget?.value)
        }
        depth = graph.splitDepth(of: step.name.value)
        reachable = graph.isReachable(step.name.value)
    }

    enum CodingKeys: String, CodingKey {
        case name, run, foreach, join, outputs, next, switchOn = "switch", depth, reachable
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(run, forKey: .run)
        try container.encode(foreach, forKey: .foreach)
        try container.encode(join, forKey: .join)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(next, forKey: .next)
        try container.encode(switchOn, forKey: .switchOn)
        try container.encode(depth, forKey: .depth)
        try container.encode(reachable, forKey: .reachable)
    }
}

private struct EdgeDocument: Encodable {
    var from: String
    var to: String
    var kind: String
    var label: String?

    init(_ edge: GraphEdge) {
        from = edge.from
        to = edge.to
        label = edge.label
        kind = switch edge.kind {
        case .next: "next"
        case .branch: "branch"
        case .switchCase: "case"
        case .switchDefault: "default"
        case .loop: "loop"
        }
    }

    enum CodingKeys: CodingKey { case from, to, kind, label }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(kind, forKey: .kind)
        try container.encode(label, forKey: .label)
    }
}
