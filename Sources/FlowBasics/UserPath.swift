import Glibc

/// A path the user wrote (an argument, an environment variable, a spec value), made absolute the
/// way a program started from a shell would open it: a relative path starts at the current
/// folder, and `..` leaves the folder the path so far really names, through symlinks, as the
/// kernel does (`link/..` is the parent of the link's target). Where the path so far does not
/// exist yet, `..` drops its last name, as `mkdir -p` would make it. Every command resolves
/// user paths here, and nowhere else.
public enum UserPath {
    /// The current folder, as the kernel knows it (symlinks resolved). When it was deleted,
    /// `/proc/self/cwd`, so that what is made in it fails rather than lands somewhere else.
    public static var currentFolder: String {
        guard let folder = getcwd(nil, 0) else { return "/proc/self/cwd" }
        defer { free(folder) }
        return String(cString: folder)
    }

    /// `path` made absolute: relative ones start at `folder` (absolute; the current folder when
    /// nil). The result has no `.` or `..` parts, no doubled or trailing slash.
    public static func absolute(_ path: String, from folder: String? = nil) -> String {
        var parts = path.hasPrefix("/") ? [] : names(folder ?? currentFolder)
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": parts = Array(physical(parts).dropLast())
            default: parts.append(String(part))
            }
        }
        return joined(parts)
    }

    /// The folder an absolute path is in (`/` for `/`).
    public static func parent(of path: String) -> String {
        joined(names(path).dropLast())
    }

    /// The parts of the folder `parts` name after the kernel resolved its symlinks; the parts as
    /// they are when that folder does not exist.
    private static func physical(_ parts: [String]) -> [String] {
        guard !parts.isEmpty, let real = realpath(joined(parts), nil) else { return parts }
        defer { free(real) }
        return names(String(cString: real))
    }

    private static func names(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0 != "." }.map(String.init)
    }

    private static func joined<S: Sequence<String>>(_ parts: S) -> String {
        "/" + parts.joined(separator: "/")
    }
}
