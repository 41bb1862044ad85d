/// The worker's Python side: the embedded `flowspec._runtime` modules, made importable, and
/// their request handler.
public final class HelperRuntime: Sendable {
    private let handler: PythonObject

    /// Makes `modules` importable as themselves (filenames `<flowspec>/_runtime/x.py`) and imports
    /// `flowspec._runtime.handler`, and sets up the capture of what requests print. The embedded
    /// `flowspec` package (runtime, client, `current`) wins over one the environment installed, so a
    /// step always sees the client of the binary that runs it, whatever version pip put there.
    /// Their compiled code is kept in `bytecodeCache` (a folder), so a worker's start skips the
    /// compiler; without one, or when it cannot be written, they are compiled as imported.
    public init(modules: [EmbeddedHelpers.Module] = EmbeddedHelpers.modules, digest: String = EmbeddedHelpers.digest,
                bytecodeCache: String? = nil, _ gil: borrowing GIL) throws {
        let bootstrap = try PythonObject.module(
            named: "_flowspec_bootstrap", filename: "<flowspec>/bootstrap.py", source: Self.bootstrap, gil)
        let register = try bootstrap.attribute("register", gil)
        for module in modules {
            let filename = "<flowspec>/" + module.file.replacingPrefix("python/flowspec/")
            _ = try register.call([.string(module.name, gil), .string(filename, gil), .string(module.source, gil),
                                   .bool(module.isPackage, gil)], gil)
        }
        _ = try bootstrap.attribute("install", gil).call([.string(bytecodeCache ?? "", gil), .string(digest, gil)], gil)
        handler = try PythonObject.importModule("flowspec._runtime.handler", gil).attribute("handle", gil)
        _ = try PythonObject.importModule("flowspec._runtime.capture", gil).attribute("install", gil).call([], gil)
    }

    /// Answers one request of the worker protocol: JSON in, JSON out. Throws only if the handler
    /// itself fails (a bug); user errors are failed responses.
    public func handle(_ request: String, _ gil: borrowing GIL) throws -> String {
        try handler.call(string: request, gil)
    }

    /// A meta-path finder serving the embedded sources, ahead of the environment's own.
    static let bootstrap = #"""
import importlib.machinery
import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER

_sources = {}
_code = {}
# Compiled code is cached in two files: what every worker imports at start (the runtime and the
# package), and what only a step importing flowspec's client or `current` needs, read then.
_groups = {}


def register(name, filename, source, is_package):
    _sources[name] = (filename, source, is_package)


# Duck-typed rather than derived from importlib.abc, whose import (importlib.resources, pathlib)
# would cost every worker ~50 ms at start.
class _Embedded:
    def __init__(self, names):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        filename, _, is_package = _sources[name]
        spec = importlib.machinery.ModuleSpec(name, self, origin=filename, is_package=is_package)
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, source, _ = _sources[module.__name__]
        if module.__name__ not in _code and "client" in _groups:
            _load_code(*_groups.pop("client"))
        code = _code.get(module.__name__) or compile(source, filename, "exec")
        exec(code, module.__dict__)

    def get_source(self, name):
        return _sources[name][1]


def install(cache_folder, digest):
    _sources.setdefault("flowspec", ("<flowspec>/__init__.py", "", True))
    if cache_folder:
        start = {name for name in _sources if name == "flowspec" or name.startswith("flowspec._runtime")}
        for group, names in (("runtime", start), ("client", set(_sources) - start)):
            _groups[group] = (os.path.join(cache_folder, f"{group}-{digest[:16]}-{MAGIC_NUMBER.hex()}.marshal"), names)
        _load_code(*_groups.pop("runtime"))
    sys.meta_path.insert(0, _Embedded(set(_sources)))


def _load_code(cache_file, names):
    """The code of modules `names` from `cache_file`; compiled and written there first if it is not."""
    try:
        with open(cache_file, "rb") as file:
            _code.update(marshal.load(file))
        return
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = {name: compile(source, filename, "exec") for name, (filename, source, _) in _sources.items() if name in names}
    _code.update(code)
    temporary = f"{cache_file}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(cache_file), exist_ok=True)
        with open(temporary, "wb") as file:
            marshal.dump(code, file)
        os.replace(temporary, cache_file)
    except OSError:
        pass  # an unwritable cache only costs the compile
"""#
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
