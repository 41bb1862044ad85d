import CPython

/// A Python exception, fetched into Swift: its type, message and formatted traceback.
public struct PythonError: Error, CustomStringConvertible, Sendable {
    /// Module-qualified type name: `builtins.ValueError`.
    public let type: String
    public let message: String
    /// `traceback.format_exception` output, "Traceback (most recent call last): ... ValueError: x\n".
    public let traceback: String

    public var description: String { traceback.isEmpty ? "\(type): \(message)" : traceback }

    /// Takes the exception being raised (the GIL held); clears it. Nil when none is raised.
    static func take() -> PythonError? {
        guard let raised = flowspec_err_take() else { return nil }
        defer { Py_DecRef(raised) }
        let type = qualifiedTypeName(of: raised)
        let message = stringValue(PyObject_Str(raised)) ?? "<unprintable exception>"
        return PythonError(type: type, message: message, traceback: format(raised) ?? "\(type): \(message)\n")
    }

    /// Takes the raised exception, or describes a failure that raised none.
    static func fetch(or fallback: String) -> PythonError {
        take() ?? PythonError(type: "flowspec.BridgeError", message: fallback, traceback: "")
    }

    private static func qualifiedTypeName(of object: UnsafeMutablePointer<PyObject>) -> String {
        let type = PyObject_Type(object)
        defer { Py_DecRef(type) }
        let module = stringValue(PyObject_GetAttrString(type, "__module__")) ?? "builtins"
        let name = stringValue(PyObject_GetAttrString(type, "__qualname__")) ?? "Exception"
        return "\(module).\(name)"
    }

    /// `"".join(traceback.format_exception(exception))`, or nil if formatting itself fails.
    private static func format(_ exception: UnsafeMutablePointer<PyObject>) -> String? {
        guard let module = PyImport_ImportModule("traceback") else { PyErr_Clear(); return nil }
        defer { Py_DecRef(module) }
        guard let function = PyObject_GetAttrString(module, "format_exception") else { PyErr_Clear(); return nil }
        defer { Py_DecRef(function) }
        guard let lines = PyObject_CallOneArg(function, exception) else { PyErr_Clear(); return nil }
        defer { Py_DecRef(lines) }
        guard let empty = PyUnicode_FromString("") else { PyErr_Clear(); return nil }
        defer { Py_DecRef(empty) }
        return stringValue(PyUnicode_Join(empty, lines))
    }

    /// The UTF-8 of a new reference to a str, which it releases; nil (error cleared) otherwise.
    static func stringValue(_ object: UnsafeMutablePointer<PyObject>?) -> String? {
        guard let object else { PyErr_Clear(); return nil }
        defer { Py_DecRef(object) }
        guard flowspec_py_unicode_check(object) != 0 else { return nil }
        var size = 0
        guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else { PyErr_Clear(); return nil }
        return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }
}

/// Why the interpreter could not start.
public enum PythonStartError: Error, CustomStringConvertible, Sendable {
    /// The loaded libpython is another minor release than the headers flowspec was built with.
    case libraryMismatch(headers: String, library: String, path: String?)
    /// The interpreter the worker was told to run is another minor release than the loaded libpython.
    case interpreterMismatch(executable: String, interpreter: String, library: String, path: String?)
    /// `Py_InitializeFromConfig` reported an error.
    case initialization(String)
    /// `start` was called twice in one process.
    case alreadyStarted

    public var description: String {
        switch self {
        case let .libraryMismatch(headers, library, path):
            return "flowspec was built against Python \(PythonBridge.minorRelease(of: headers)) (headers \(headers)) "
                + "but loaded libpython \(library)\(path.map { " from \($0)" } ?? ""); run steps with a Python "
                + "\(PythonBridge.minorRelease(of: headers)) interpreter, or rebuild flowspec against Python "
                + "\(PythonBridge.minorRelease(of: library)) (install python\(PythonBridge.minorRelease(of: library))-dev "
                + "so pkg-config python3-embed finds it, then swift build)"
        case let .interpreterMismatch(executable, interpreter, library, path):
            return "\(executable) is Python \(interpreter) but the libpython loaded for it is \(library)"
                + "\(path.map { " (\($0))" } ?? ""); the interpreter needs a shared libpython of its own "
                + "release in its LIBDIR (a build configured with --enable-shared), or use another interpreter"
        case let .initialization(message):
            return "cannot start Python: \(message)"
        case .alreadyStarted:
            return "Python is already running in this process"
        }
    }
}
