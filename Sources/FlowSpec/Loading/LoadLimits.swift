/// Bounds that keep a hostile or broken spec from exhausting time or memory.
public struct LoadLimits: Sendable {
    /// Larger files are refused before they are read.
    public var maxBytes = 10 << 20
    /// Mappings and lists nested deeper than this are refused.
    public var maxDepth = 64
    /// Nodes that aliases may add in all, so a "billion laughs" document is refused.
    public var maxAliasNodes = 100_000

    public init() {}

    public static let standard = LoadLimits()
}
