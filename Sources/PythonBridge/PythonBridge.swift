import CPython
import Glibc

/// PythonBridge owns the embedded interpreter of a worker process: its lifecycle, the GIL,
/// object ownership and pickling. It knows nothing of graphs or the store.
public enum PythonBridge {
    /// The CPython release whose headers this module was compiled against.
    public static let headerVersion: String = PY_VERSION

    /// The release of the libpython loaded into this process ("3.11.7"); known before start.
    public static var libraryVersion: String {
        let full = String(cString: Py_GetVersion())
        return String(full.prefix { $0 != " " })
    }

    /// The file of the loaded libpython, from /proc/self/maps; nil where there is none.
    public static var libraryPath: String? {
        guard let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, maps) > 0, let line {
            let text = String(cString: line)
            if let start = text.firstIndex(of: "/"), text.contains("/libpython") {
                return String(text[start...].dropLast(text.hasSuffix("\n") ? 1 : 0))
            }
        }
        return nil
    }

    /// Makes C's stdout line-buffered, so what C code (an extension module) prints reaches fd 1
    /// line by line and is there even if the process crashes. Call it before threads start.
    public static func lineBufferStandardOutput() { flowspec_line_buffer_stdout() }

    /// Throws when the loaded libpython's major.minor differs from the headers': its ABI differs.
    public static func checkLibraryVersion() throws {
        guard minorRelease(of: libraryVersion) == minorRelease(of: headerVersion) else {
            throw PythonStartError.libraryMismatch(headers: headerVersion, library: libraryVersion, path: libraryPath)
        }
    }

    /// "3.11" of "3.11.7".
    static func minorRelease(of version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }
}
