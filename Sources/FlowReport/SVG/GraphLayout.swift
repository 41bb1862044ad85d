/// Where each step's box goes: a layered drawing, top to bottom. A step's layer is the longest
/// path to it from a step with no parent (loops left out); within a layer, steps are ordered by
/// where their parents sit, so branches stay beside each other.
struct GraphLayout {
    struct Box {
        var name: String
        var x: Double
        var y: Double
        var width: Double
        static let height = 46.0
    }

    let boxes: [Box]
    let width: Double
    let height: Double

    static let layerGap = 40.0, boxGap = 24.0, margin = 16.0

    init(_ graph: GraphShape) {
        let layers = Self.layers(graph)
        var boxes: [Box] = []
        var rowWidths: [Double] = []
        for (row, names) in layers.enumerated() {
            var x = Self.margin
            for name in names {
                let width = Self.boxWidth(for: name, graph: graph)
                boxes.append(Box(name: name, x: x, y: Self.margin + Double(row) * (Box.height + Self.layerGap), width: width))
                x += width + Self.boxGap
            }
            rowWidths.append(x - Self.boxGap + Self.margin)
        }
        let width = max(rowWidths.max() ?? 0, 160)
        // Centre each row under the widest.
        for (row, rowWidth) in rowWidths.enumerated() {
            let shift = (width - rowWidth) / 2
            for index in boxes.indices where boxes[index].y == Self.margin + Double(row) * (Box.height + Self.layerGap) {
                boxes[index].x += shift
            }
        }
        self.boxes = boxes
        self.width = width + 60  // room on the right for loop edges
        self.height = Self.margin * 2 + Double(layers.count) * Box.height + Double(max(0, layers.count - 1)) * Self.layerGap
    }

    func box(_ name: String) -> Box? { boxes.first { $0.name == name } }

    /// Wide enough for the name and the line of counts under it (about 7 px a character).
    private static func boxWidth(for name: String, graph: GraphShape) -> Double {
        max(110, Double(min(name.count, 40)) * 8 + 28)
    }

    /// The steps of each layer, in order.
    static func layers(_ graph: GraphShape) -> [[String]] {
        let names = graph.nodes.map(\.name)
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let forward = graph.edges.filter { !$0.isLoop && position[$0.from] != nil && position[$0.to] != nil }
        let parents = Dictionary(grouping: forward, by: \.to).mapValues { $0.map(\.from) }
        var layer: [String: Int] = [:]
        // Nodes come in run order, parents before children; a few passes settle the rest.
        for _ in 0..<3 {
            for name in names {
                layer[name] = (parents[name] ?? []).compactMap { layer[$0].map { $0 + 1 } }.max() ?? layer[name] ?? 0
            }
        }
        let count = (layer.values.max() ?? -1) + 1
        var rows = [[String]](repeating: [], count: count)
        for name in names { rows[layer[name] ?? 0].append(name) }
        return ordered(rows, parents: parents)
    }

    /// Each row sorted by the mean place of its steps' parents in the row above.
    private static func ordered(_ rows: [[String]], parents: [String: [String]]) -> [[String]] {
        var rows = rows
        for row in rows.indices.dropFirst() {
            let above = Dictionary(rows[row - 1].enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
            let keyed = rows[row].enumerated().map { index, name -> (Double, Int, String) in
                let places = (parents[name] ?? []).compactMap { above[$0] }
                return (places.isEmpty ? Double(index) : places.reduce(0, +) / Double(places.count), index, name)
            }
            rows[row] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        return rows
    }
}
