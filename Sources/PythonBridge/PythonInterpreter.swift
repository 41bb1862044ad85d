import CPython
import Synchronization

/// The embedded interpreter: started once per process, explicitly, and never finalized (a worker
/// exits with it). Every use of Python goes through `withGIL`.
public final class PythonInterpreter: Sendable {
    /// The running interpreter's release, `sys.version_info` as "3.11.7".
    public let version: String
    /// `sys.executable` once started.
    public let executable: String

    private static let started = Mutex(false)

    /// Starts Python with `executable` as `sys.executable` and program name, so its prefix,
    /// `pyvenv.cfg` and site-packages apply; nil lets the loaded libpython find its own prefix.
    /// `expectedVersion` (the interpreter's own "3.11.7") is checked against the loaded library.
    public static func start(executable: String?, expectedVersion: String? = nil) throws -> PythonInterpreter {
        try PythonBridge.checkLibraryVersion()
        let library = PythonBridge.libraryVersion
        if let executable, let expectedVersion,
           PythonBridge.minorRelease(of: expectedVersion) != PythonBridge.minorRelease(of: library) {
            throw PythonStartError.interpreterMismatch(
                executable: executable, interpreter: expectedVersion, library: library, path: PythonBridge.libraryPath)
        }
        try started.withLock { started in
            guard !started else { throw PythonStartError.alreadyStarted }
            try initialize(executable: executable, frozenModules: expectedVersion.map { $0 == library } ?? true)
            started = true
        }
        // The main thread holds the GIL after initialization; let `withGIL` take it from any thread.
        _ = PyEval_SaveThread()
        return Self.withGILState {
            PythonInterpreter(version: sysAttribute("version_info", format: true) ?? library,
                              executable: sysAttribute("executable", format: false) ?? (executable ?? ""))
        }
    }

    private init(version: String, executable: String) {
        self.version = version
        self.executable = executable
    }

    /// Runs `body` holding the GIL, from any thread; the GIL is released when it returns or throws.
    public func withGIL<T>(_ body: (borrowing GIL) throws -> T) rethrows -> T {
        try Self.withGILState { try body(GIL()) }
    }

    static func withGILState<T>(_ body: () throws -> T) rethrows -> T {
        let state = PyGILState_Ensure()
        defer { PyGILState_Release(state) }
        return try body()
    }

    private static func initialize(executable: String?, frozenModules: Bool) throws {
        // On the heap: Swift's exclusivity checks reject `&config.field` inside an inout `config`.
        let config = UnsafeMutablePointer<PyConfig>.allocate(capacity: 1)
        defer { config.deallocate() }
        PyConfig_InitPythonConfig(config)
        defer { PyConfig_Clear(config) }
        config.pointee.parse_argv = 0
        // A libpython of another patch release than the interpreter's stdlib cannot use its frozen
        // modules (they are compiled into the library).
        if !frozenModules { config.pointee.use_frozen_modules = 0 }
        if let executable {
            try check(flowspec_config_set_executable(config, executable))
        }
        try check(Py_InitializeFromConfig(config))
    }

    private static func check(_ status: PyStatus) throws {
        guard PyStatus_Exception(status) != 0 else { return }
        let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
        let function = status.`func`.map { String(cString: $0) + ": " } ?? ""
        throw PythonStartError.initialization(function + message)
    }

    /// `sys.<name>` as a string; `format` joins the first three items of a version tuple.
    private static func sysAttribute(_ name: String, format: Bool) -> String? {
        guard let value = PySys_GetObject(name) else { return nil }  // borrowed
        guard format else { return PythonError.stringValue(PyObject_Str(value)) }
        let parts = (0..<3).compactMap { index -> String? in
            guard let item = PySequence_GetItem(value, index) else { PyErr_Clear(); return nil }
            defer { Py_DecRef(item) }
            return PythonError.stringValue(PyObject_Str(item))
        }
        return parts.joined(separator: ".")
    }
}

/// Proof that the GIL is held: APIs that touch Python objects take one. Exists only inside
/// `PythonInterpreter.withGIL`.
public struct GIL: ~Copyable {
    fileprivate init() {}
}
