/// The run's graph as inline SVG: a box per step, coloured by its state (the stylesheet's
/// `.state-*` classes), with its tasks' counts; arrows for `next`, labelled ones for switch
/// cases, dashed ones for loops. Each box carries `data-step`, so a live page can recolour it.
enum GraphSVG {
    static func render(_ graph: GraphShape, states: [String: StepState], link: (String) -> String?) -> HTML {
        let layout = GraphLayout(graph)
        let boxes = Dictionary(layout.boxes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let nodes = Dictionary(graph.nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let edges = graph.edges.compactMap { edge -> HTML? in
            guard let from = boxes[edge.from], let to = boxes[edge.to] else { return nil }
            return edge.isLoop ? loop(edge, from, to, right: layout.width - 30) : arrow(edge, from, to)
        }
        let steps = layout.boxes.map { box in
            step(box, node: nodes[box.name], state: states[box.name], link: link(box.name))
        }
        return """
            <svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(layout.width) \(layout.height)" \
            width="\(layout.width)" height="\(layout.height)" role="img" aria-label="the run's graph">\
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">\
            <path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>\
            <g class="edges">\(edges)</g><g class="steps">\(steps)</g></svg>
            """
    }

    private static func step(_ box: GraphLayout.Box, node: GraphShape.Node?, state: StepState?, link: String?) -> HTML {
        let phase = state?.phase.rawValue ?? "not-run"
        let tip = [box.name, node?.kind, node?.target, state.map { $0.phase.rawValue.replacingHyphens }]
            .compactMap { $0 }.joined(separator: " · ")
        let shape: HTML = node?.kind == "foreach"
            ? "<rect class=\"box stack\" x=\"\(box.x + 4)\" y=\"\(box.y + 4)\" width=\"\(box.width)\" height=\"\(GraphLayout.Box.height)\" rx=\"8\"/>"
            : .empty
        let body: HTML = """
            <g class="step state-\(phase)" data-step="\(box.name)"><title>\(tip)</title>\(shape)\
            <rect class="box" x="\(box.x)" y="\(box.y)" width="\(box.width)" height="\(GraphLayout.Box.height)" rx="8"/>\
            <text class="name" x="\(box.x + box.width / 2)" y="\(box.y + 19)">\(clipped(box.name, 40))</text>\
            <text class="line" x="\(box.x + box.width / 2)" y="\(box.y + 36)">\(state?.line ?? "")</text></g>
            """
        guard let link else { return body }
        return "<a href=\"\(link)\">\(body)</a>"
    }

    private static func arrow(_ edge: GraphShape.Edge, _ from: GraphLayout.Box, _ to: GraphLayout.Box) -> HTML {
        let x1 = from.x + from.width / 2, y1 = from.y + GraphLayout.Box.height
        let x2 = to.x + to.width / 2, y2 = to.y
        let middle = (y1 + y2) / 2
        let label: HTML = edge.label.map {
            "<text class=\"edge-label\" x=\"\((x1 + x2) / 2 + 4)\" y=\"\(middle)\">\(clipped($0, 24))</text>"
        } ?? .empty
        return """
            <path class="edge" d="M\(x1),\(y1) C\(x1),\(middle) \(x2),\(middle) \(x2),\(y2)" marker-end="url(#arrow)"/>\(label)
            """
    }

    /// A loop goes out of the step's right side, up or down the margin, and into the target's.
    private static func loop(_ edge: GraphShape.Edge, _ from: GraphLayout.Box, _ to: GraphLayout.Box, right: Double) -> HTML {
        let half = GraphLayout.Box.height / 2
        let x1 = from.x + from.width, y1 = from.y + half + 6, x2 = to.x + to.width, y2 = to.y + half - 6
        let edgeX = max(right, max(x1, x2) + 20)
        let label: HTML = edge.label.map {
            "<text class=\"edge-label\" x=\"\(edgeX - 2)\" y=\"\((y1 + y2) / 2)\" text-anchor=\"end\">\(clipped($0, 24))</text>"
        } ?? .empty
        return """
            <path class="edge loop" d="M\(x1),\(y1) C\(edgeX),\(y1) \(edgeX),\(y2) \(x2),\(y2)" marker-end="url(#arrow)"/>\(label)
            """
    }

    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
