import CPython

/// One strong reference to a Python object, released when the wrapper goes away.
///
/// The pointer is lent only inside `withPointer`, so ARC cannot release the wrapper while a C call
/// still uses it. Every operation needs the GIL; failures throw `PythonError`, never trap.
public final class PythonObject: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<PyObject>

    /// Takes over a new reference (what most C API functions return); a NULL result is the raised
    /// exception, thrown.
    init(owning pointer: UnsafeMutablePointer<PyObject>?, _ what: @autoclosure () -> String) throws {
        guard let pointer else { throw PythonError.fetch(or: "\(what()) failed without an exception") }
        self.pointer = pointer
    }

    /// Adds a reference to a borrowed one (what `PyTuple_GetItem`, `PySys_GetObject` return).
    init(borrowing pointer: UnsafeMutablePointer<PyObject>) {
        Py_IncRef(pointer)
        self.pointer = pointer
    }

    deinit {
        // Wrappers may die on any thread; taking the GIL when it is already held is cheap.
        let state = PyGILState_Ensure()
        Py_DecRef(pointer)
        PyGILState_Release(state)
    }

    /// Lends the pointer for the duration of `body`; do not keep it.
    public func withPointer<T>(_ body: (UnsafeMutablePointer<PyObject>) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(pointer) }
    }
}

extension PythonObject {
    /// A Python str of `text`.
    public static func string(_ text: String, _ gil: borrowing GIL) throws -> PythonObject {
        var text = text
        return try text.withUTF8 { bytes in
            try PythonObject(owning: bytes.withMemoryRebound(to: CChar.self) {
                PyUnicode_FromStringAndSize($0.baseAddress, $0.count)
            }, "creating a str")
        }
    }

    /// `getattr(self, name)`.
    public func attribute(_ name: String, _ gil: borrowing GIL) throws -> PythonObject {
        try withPointer { try PythonObject(owning: PyObject_GetAttrString($0, name), "getattr(\(name))") }
    }

    /// `self(argument)`.
    public func call(_ argument: PythonObject, _ gil: borrowing GIL) throws -> PythonObject {
        try withPointer { function in
            try argument.withPointer { try PythonObject(owning: PyObject_CallOneArg(function, $0), "a call") }
        }
    }

    /// `self(*arguments)`.
    public func call(_ arguments: [PythonObject], _ gil: borrowing GIL) throws -> PythonObject {
        let tuple = try PythonObject(owning: PyTuple_New(arguments.count), "creating a tuple")
        try tuple.withPointer { tuple in
            for (index, argument) in arguments.enumerated() {
                // PyTuple_SetItem steals a reference: give it one of its own.
                let status = argument.withPointer { item in
                    Py_IncRef(item)
                    return PyTuple_SetItem(tuple, index, item)
                }
                if status != 0 { throw PythonError.fetch(or: "filling a tuple") }
            }
        }
        return try withPointer { function in
            try tuple.withPointer { try PythonObject(owning: PyObject_Call(function, $0, nil), "a call") }
        }
    }

    /// `True` or `False`.
    public static func bool(_ value: Bool, _ gil: borrowing GIL) throws -> PythonObject {
        try PythonObject(owning: PyBool_FromLong(value ? 1 : 0), "creating a bool")
    }

    /// Compiles and runs `source` as a new module `name`, registered in `sys.modules`;
    /// `filename` is what tracebacks show for it.
    public static func module(named name: String, filename: String, source: String,
                              _ gil: borrowing GIL) throws -> PythonObject {
        let code = try PythonObject(owning: Py_CompileString(source, filename, Py_file_input), "compiling \(filename)")
        return try code.withPointer { code in
            try PythonObject(owning: PyImport_ExecCodeModuleEx(name, code, filename), "running \(filename)")
        }
    }

    /// `import name`.
    public static func importModule(_ name: String, _ gil: borrowing GIL) throws -> PythonObject {
        try PythonObject(owning: PyImport_ImportModule(name), "import \(name)")
    }

    /// `self(text)` for a callable that takes and returns a str: the worker's request handler.
    public func call(string text: String, _ gil: borrowing GIL) throws -> String {
        try call(.string(text, gil), gil).stringValue(gil)
    }

    /// The text of a str object; anything else is an error naming its type.
    public func stringValue(_ gil: borrowing GIL) throws -> String {
        try withPointer { object in
            guard flowspec_py_unicode_check(object) != 0 else {
                let type = PyObject_Type(object)
                defer { Py_DecRef(type) }
                let name = type.flatMap { PythonError.stringValue(PyObject_GetAttrString($0, "__name__")) } ?? "?"
                throw PythonError(type: "builtins.TypeError", message: "expected a str, got \(name)", traceback: "")
            }
            var size = 0
            guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else { throw PythonError.fetch(or: "reading a str") }
            return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
                String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
            }
        }
    }
}
