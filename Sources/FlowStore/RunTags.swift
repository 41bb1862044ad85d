import FlowBasics

/// A run's tags (`runs.tags`): the system tags the run is given when it begins, which name who
/// ran it, with which flowspec and which Python, then the user's own (`--tag`, `flowspec tag
/// add`), in the order given. A system tag is told by its prefix, so a user tag may not take one.
public enum RunTags {
    public static let systemPrefixes = ["user:", "flowspec_version:", "python_version:"]

    /// The longest user tag, in characters.
    public static let maximumLength = 500

    public static func isSystem(_ tag: String) -> Bool {
        systemPrefixes.contains { tag.hasPrefix($0) }
    }

    /// `user:NAME`, `flowspec_version:X` and `python_version:X.Y.Z` (when the run's Python is known).
    static func system(user: String, pythonVersion: String?) -> [String] {
        ["user:\(user)", "flowspec_version:\(flowspecVersion)"] + (pythonVersion.map { ["python_version:\($0)"] } ?? [])
    }

    public static func user(_ tags: [String]) -> [String] { tags.filter { !isSystem($0) } }

    public static func system(_ tags: [String]) -> [String] { tags.filter(isSystem) }

    /// Why `tag` cannot be a user tag, or nil when it can.
    public static func problem(with tag: String) -> String? {
        if tag.isEmpty { return "a tag cannot be empty" }
        if let prefix = systemPrefixes.first(where: { tag.hasPrefix($0) }) {
            return "tag '\(tag)' is a system tag ('\(prefix)…' tags are set by the run)"
        }
        if tag.count > maximumLength { return "tag '\(tag.prefix(40))…' is longer than \(maximumLength) characters" }
        if tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "tag \(String(reflecting: tag)) holds a control character (a newline, a tab)"
        }
        if tag.first?.isWhitespace == true || tag.last?.isWhitespace == true {
            return "tag '\(tag)' begins or ends with a space"
        }
        return nil
    }

    /// `tags` without repeats, in first-seen order.
    public static func unique(_ tags: [String]) -> [String] {
        var seen: Set<String> = []
        return tags.filter { seen.insert($0).inserted }
    }
}
