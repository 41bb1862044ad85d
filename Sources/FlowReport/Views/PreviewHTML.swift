import FlowBasics
import FlowStore

/// A value's preview as markup: a table of a data frame's first rows, an array's facts, an
/// image, a dict as a tree of nested `<details>`. Every string in it came from user data and is
/// escaped; an image is shown from a `data:` URI through `<img>`, in which an SVG's scripts
/// never run.
public enum PreviewHTML {
    public static func render(_ preview: ValuePreview) -> HTML {
        let summary: HTML = preview.summary.map { "<p class=\"preview-summary\">\($0)</p>" } ?? .empty
        let note: HTML = preview.note.map { "<p class=\"quiet\">\($0)</p>" } ?? .empty
        let body: HTML
        switch preview.kind {
        case .table: body = preview.table.map(table) ?? .empty
        case .array: body = preview.array.map(array) ?? .empty
        case .image: body = preview.image.map(image) ?? .empty
        case .tree: body = preview.tree.map { "<div class=\"tree\">\(tree($0, open: true))</div>" } ?? .empty
        case .none: return .empty
        }
        return "<div class=\"preview preview-\(preview.kind.rawValue)\">\(summary)\(body)\(note)</div>"
    }

    /// Why a preview could not be made, in its place.
    public static func failure(_ message: String) -> HTML {
        "<div class=\"preview preview-failed\"><p class=\"quiet\">no preview: \(message)</p></div>"
    }

    private static func table(_ table: ValuePreview.Table) -> HTML {
        let types: HTML = table.dtypes.map { types in
            "<tr class=\"dtypes\"><th></th>\(types.map { "<th>\($0)</th>" as HTML })</tr>"
        } ?? .empty
        let rows = zip(table.index, table.rows).map { index, cells -> HTML in
            "<tr><th>\(index)</th>\(cells.map { "<td>\($0)</td>" as HTML })</tr>"
        }
        return """
            <div class="scroll"><table class="frame"><thead><tr><th></th>\(table.columns.map { "<th>\($0)</th>" as HTML })</tr>\
            \(types)</thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func array(_ facts: ValuePreview.ArrayFacts) -> HTML {
        let shape = "(" + facts.shape.map(String.init).joined(separator: ", ") + (facts.shape.count == 1 ? ",)" : ")")
        let stats = [("shape", shape), ("dtype", facts.dtype)] + facts.stats.map { ($0.name, $0.value) }
        let sample: HTML = facts.sample.map { "<pre class=\"sample\">\($0)</pre>" } ?? .empty
        return "<dl class=\"facts array-facts\">\(stats.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" as HTML })</dl>\(sample)"
    }

    private static func image(_ image: ValuePreview.Image) -> HTML {
        // Only these two types, and base64 only: nothing else reaches the URI.
        let mime = image.mime == "image/svg+xml" ? "image/svg+xml" : "image/png"
        let data = image.base64.unicodeScalars.allSatisfy(\.isBase64) ? image.base64 : ""
        return "<img class=\"preview-image\" alt=\"the value as an image\" src=\"data:\(mime);base64,\(data)\">"
    }

    private static func tree(_ node: ValuePreview.TreeNode, open: Bool) -> HTML {
        let more: HTML = node.more.map { "<li class=\"quiet\">… \(DisplayFormat.count($0)) more</li>" } ?? .empty
        guard let children = node.children else {
            return "<span class=\"key\">\(node.key)</span>: <code class=\"repr\">\(node.repr ?? "")</code> <span class=\"type\">\(node.type)</span>"
        }
        let items = children.map { "<li>\(tree($0, open: false))</li>" as HTML }
        return """
            <details\(open ? " open" : "")><summary><span class="key">\(node.key)</span> <span class="type">\(node.type), \
            \(DisplayFormat.count(children.count + (node.more ?? 0))) entries</span></summary><ul>\(items)\(more)</ul></details>
            """
    }
}

extension Unicode.Scalar {
    fileprivate var isBase64: Bool {
        ("A"..."Z").contains(self) || ("a"..."z").contains(self) || ("0"..."9").contains(self) || self == "+" || self == "/" || self == "="
    }
}
