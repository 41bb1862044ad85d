extension GraphRenderer {
    /// A Mermaid `flowchart TD`. Node ids are prefixed (`step_end`) because Mermaid reserves
    /// words such as `end`; foreach steps use the subroutine shape, switches the rhombus.
    public static func mermaid(_ graph: StepGraph) -> String {
        var lines = ["flowchart TD"]
        for step in displayOrder(graph) {
            var label = [step.name.value]
            if step.isJoin { label.append("join") }
            if let foreach = step.foreach { label.append("foreach \(foreach.value)") }
            if let on = step.switchOn?.on { label.append("switch on \(on.value)") }
            if let run = step.run { label.append(run.value.written) }
            let text = quoted(label.joined(separator: "<br/>"))
            let shape = step.switchOn != nil ? "{\(text)}" : step.foreach != nil ? "[[\(text)]]" : "[\(text)]"
            lines.append("    \(id(step.name.value))\(shape)")
        }
        for edge in graph.edges {
            let arrow = edge.isLoop ? "-.->" : "-->"
            let label = edge.isBranch ? nil : edge.label
            lines.append("    \(id(edge.from)) \(arrow)\(label.map { "|\(quoted($0))|" } ?? "") \(id(edge.to))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func id(_ step: String) -> String { "step_" + step }

    /// Mermaid's quoted label: a double quote is written as an entity.
    private static func quoted(_ text: String) -> String {
        "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "#quot;") + "\""
    }
}
