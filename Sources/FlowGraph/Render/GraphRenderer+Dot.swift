extension GraphRenderer {
    /// Graphviz: a box per step (joins and foreach steps shaped apart), solid edges for `next`,
    /// labelled edges for switch cases, dashed edges for loops.
    public static func dot(_ graph: StepGraph) -> String {
        var lines = [
            "digraph \(quoted(flowName(graph))) {",
            "  rankdir=TB;",
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for step in displayOrder(graph) {
            let name = step.name.value
            var label = [name]
            if step.isJoin { label.append("join") }
            if let foreach = step.foreach { label.append("foreach \(foreach.value)") }
            if let on = step.switchOn?.on { label.append("switch on \(on.value)") }
            if let run = step.run { label.append(run.value.written) }
            var attributes = ["label=\(quoted(label.joined(separator: "\n")))"]
            if step.foreach != nil { attributes.append("peripheries=2") }
            if step.switchOn != nil { attributes.append("shape=diamond, style=\"\"") }
            if !graph.isReachable(name) { attributes.append("color=gray, fontcolor=gray") }
            lines.append("  \(quoted(name)) [\(attributes.joined(separator: ", "))];")
        }
        for edge in graph.edges {
            var attributes: [String] = []
            if let label = edge.label, !edge.isBranch { attributes.append("label=\(quoted(label))") }
            if edge.isLoop { attributes += ["style=dashed", "constraint=false"] }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to))\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT string literal; newlines become `\n` line breaks.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}

extension GraphEdge {
    var isBranch: Bool {
        if case .branch = kind { true } else { false }
    }
}
