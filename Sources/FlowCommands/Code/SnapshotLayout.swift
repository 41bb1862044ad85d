/// Where `flowspec code -o DIR` puts each file of a snapshot so that the spec finds it again:
/// at its path relative to the spec's folder, or, when some files lie above that folder (a
/// `python.path: [../lib]`), under as many of the spec's own parent folders as it takes
/// (`DIR/flow/spec.yaml` and `DIR/lib/…`). A file named by an absolute path is not placed: the
/// spec would import it from there.
struct SnapshotLayout {
    /// The spec's place in DIR.
    let spec: String
    /// Each recorded path's place in DIR; absent for one named by an absolute path.
    let places: [String: String]

    /// - Parameters:
    ///   - specPath: the spec's absolute path when the run began.
    ///   - paths: the snapshot's paths, relative to the spec's folder.
    init(specPath: String, paths: [String]) {
        let folder = Self.normalized(specPath.split(separator: "/").map(String.init).dropLast())
        let located = paths.filter { !$0.hasPrefix("/") }.map { ($0, Self.normalized(folder + $0.split(separator: "/").map(String.init))) }
        // How many of the spec's folders the files reach above it.
        let depth = located.map { _, parts in folder.count - Self.sharedPrefix(folder, Array(parts.dropLast())) }.max() ?? 0
        let base = max(0, folder.count - depth)
        spec = (Array(folder.dropFirst(base)) + [specPath.split(separator: "/").last.map(String.init) ?? "spec.yaml"]).joined(separator: "/")
        places = Dictionary(uniqueKeysWithValues: located.map { ($0.0, $0.1.dropFirst(base).joined(separator: "/")) })
    }

    /// Where a path relative to the spec's folder (a `file` param's default) goes in DIR; nil
    /// for an absolute one or one above DIR.
    func place(relativeToSpec path: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts = spec.split(separator: "/").map(String.init).dropLast().map { $0 }
        for part in path.split(separator: "/").map(String.init) where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// `a/./b/../c` as `a/c`; a `..` above the root stays out.
    private static func normalized(_ parts: some Sequence<String>) -> [String] {
        var result: [String] = []
        for part in parts where !part.isEmpty && part != "." {
            if part == ".." { _ = result.popLast() } else { result.append(part) }
        }
        return result
    }

    private static func sharedPrefix(_ a: [String], _ b: [String]) -> Int {
        zip(a, b).prefix { $0 == $1 }.count
    }
}
