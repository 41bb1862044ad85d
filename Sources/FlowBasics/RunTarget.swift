/// What a step calls: `module:function`, `file.py:function` or `notebook.ipynb:function`.
public struct RunTarget: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case module(String)
        case file(String)
        case notebook(String)
    }

    public var source: Source
    public var function: String

    public init(source: Source, function: String) {
        self.source = source
        self.function = function
    }
}
