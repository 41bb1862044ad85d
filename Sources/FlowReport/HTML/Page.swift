/// A whole HTML document: its stylesheet inline, so a page needs nothing else to look right.
public enum Page {
    /// What a report file allows itself: its own inline styles and `data:` images, nothing to
    /// fetch and no script, so opening it makes no request.
    public static let reportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    /// `policy`, when given, goes in a `<meta>` (a file has no headers); `script` is the path of
    /// the page's one script, on the same server.
    public static func document(title: String, body: HTML, nav: HTML = .empty, policy: String? = nil, script: String? = nil) -> HTML {
        let meta: HTML = policy.map { "<meta http-equiv=\"Content-Security-Policy\" content=\"\($0)\">" } ?? .empty
        let scriptTag: HTML = script.map { "<script src=\"\($0)\" defer></script>" } ?? .empty
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">\(meta)\
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(title)</title>\
            <style>\(HTML(trusted: Stylesheet.css))</style>\(scriptTag)</head>
            <body>\(nav)<main>\(body)</main></body></html>

            """
    }
}
