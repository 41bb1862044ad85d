/// The worker's Python side: the embedded `flowspec._runtime` modules, made importable, and
/// their request handler.
public final class HelperRuntime: Sendable {
    private let handler: PythonObject

    /// Makes `modules` importable as themselves (filenames `<flowspec>/_runtime/x.py`) and imports
    /// `flowspec._runtime.handler`. A `flowspec` package the environment provides is kept.
    public init(modules: [EmbeddedHelpers.Module] = EmbeddedHelpers.modules, _ gil: borrowing GIL) throws {
        let bootstrap = try PythonObject.module(
            named: "_flowspec_bootstrap", filename: "<flowspec>/bootstrap.py", source: Self.bootstrap, gil)
        let register = try bootstrap.attribute("register", gil)
        for module in modules {
            let filename = "<flowspec>/" + module.name.split(separator: ".").dropFirst().joined(separator: "/")
                + (module.isPackage ? "/__init__.py" : ".py")
            _ = try register.call([.string(module.name, gil), .string(filename, gil), .string(module.source, gil),
                                   .bool(module.isPackage, gil)], gil)
        }
        _ = try bootstrap.attribute("install", gil).call([], gil)
        handler = try PythonObject.importModule("flowspec._runtime.handler", gil).attribute("handle", gil)
    }

    /// Answers one request of the worker protocol: JSON in, JSON out. Throws only if the handler
    /// itself fails (a bug); user errors are failed responses.
    public func handle(_ request: String, _ gil: borrowing GIL) throws -> String {
        try handler.call(string: request, gil)
    }

    /// A meta-path finder serving the embedded sources: first for `flowspec._runtime*`, last for a
    /// bare `flowspec` package when the environment has none.
    static let bootstrap = #"""
import importlib.abc
import importlib.util
import sys

_sources = {}


def register(name, filename, source, is_package):
    _sources[name] = (filename, source, is_package)


class _Embedded(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, names):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        filename, _, is_package = _sources[name]
        spec = importlib.util.spec_from_loader(name, self, origin=filename, is_package=is_package)
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, source, _ = _sources[module.__name__]
        exec(compile(source, filename, "exec"), module.__dict__)

    def get_source(self, name):
        return _sources[name][1]


def install():
    runtime = {name for name in _sources if name.startswith("flowspec._runtime")}
    sys.meta_path.insert(0, _Embedded(runtime))
    sys.meta_path.append(_Embedded({"flowspec"}))
    _sources.setdefault("flowspec", ("<flowspec>/__init__.py", "", True))
"""#
}
