import FlowBasics

/// A spec file read as far as it could be, with every finding about its text and its keys.
public struct LoadedSpec: Sendable {
    public let file: String
    /// Nil when the text could not be parsed into a tree at all.
    public let spec: Spec?
    /// The file's lines, for excerpts under diagnostics; nil when it was not text.
    public let source: SourceText?
    public let diagnostics: [Diagnostic]
}

/// Reads specs: YAML or JSON text -> located node tree -> `Spec`, never running user code.
public enum SpecLoader {
    public static func load(path: String, limits: LoadLimits = .standard) -> LoadedSpec {
        finish(DocumentLoader(limits: limits).load(path: path), file: path)
    }

    public static func load(text: String, file: String, limits: LoadLimits = .standard) -> LoadedSpec {
        finish(DocumentLoader(limits: limits).load(bytes: Array(text.utf8), file: file), file: file)
    }

    private static func finish(_ document: DocumentLoader.Result, file: String) -> LoadedSpec {
        guard let root = document.root else {
            return LoadedSpec(file: file, spec: nil, source: document.source, diagnostics: document.diagnostics)
        }
        var reader = SpecReader(file: file)
        let spec = reader.read(root)
        return LoadedSpec(file: file, spec: spec, source: document.source,
                          diagnostics: document.diagnostics + reader.reader.diagnostics)
    }
}
