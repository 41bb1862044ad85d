import CPython

/// PythonBridge owns the embedded interpreter of a worker process: its lifecycle, the GIL,
/// object ownership and pickling. It knows nothing of graphs or the store.
public enum PythonBridge {
    /// The CPython release whose headers this module was compiled against.
    public static let headerVersion: String = PY_VERSION
}
