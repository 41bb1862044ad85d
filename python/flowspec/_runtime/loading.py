"""Loading a step's function: a module from the import roots, or a file or notebook loaded once
per worker."""
import importlib
import importlib.util
import sys

from .blobs import sha256
from .failures import Failure
from .names import content_module_name

_files = {}  # absolute path -> module


def add_import_roots(paths):
    """Puts each root at the front of sys.path once, keeping the given order."""
    for root in reversed([p for p in paths if p not in sys.path]):
        sys.path.insert(0, root)


def load_function(function, paths):
    """The callable that `function` ({"kind", "source", "name"}) names."""
    add_import_roots(paths)
    kind, source, name = function["kind"], function["source"], function["name"]
    if kind == "module":
        module = _import_module(source)
    elif kind == "file":
        module = _load_file(source)
    elif kind == "notebook":
        from . import notebook  # on first use: its ast/json imports slow every worker's start
        module = notebook.load(source)
        notebook.check_defined(module, source, name)
    else:
        raise Failure("import", f"unknown function kind '{kind}'")
    return _lookup(module, source, name)


def module_name_for_file(path, hex_digest):
    """`_flowspec_file_<stem>_<hash>`: named after the file and its bytes (`hex_digest`, their
    SHA-256, which is also the name of the file's blob in the run's code snapshot), so a reader
    finds the code a value's classes came from in the snapshot (`snapshot.py`)."""
    return content_module_name("file", path, hex_digest)


def _import_module(source):
    try:
        return importlib.import_module(source)
    except (Exception, SystemExit) as error:
        raise Failure("import", f"cannot import module '{source}': {type(error).__name__}: {error}",
                      error) from None


def _load_file(path):
    module = _files.get(path)
    if module is not None:
        return module
    data = read_source(path)
    name = module_name_for_file(path, hex_sha256(data))
    if name in sys.modules:  # the same bytes, loaded from the snapshot to read a value
        _files[path] = sys.modules[name]
        return _files[path]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it, so its classes pickle by reference
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:
        del sys.modules[name]
        raise Failure("import", f"cannot load {path}: {type(error).__name__}: {error}",
                      error) from None
    _files[path] = module
    return module


def read_source(path):
    """A `.py` file's or notebook's bytes; a Failure of kind `import` when they cannot be read."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise Failure("import", f"cannot load {path}: no such file") from None
    except OSError as error:
        raise Failure("import", f"cannot load {path}: {error}", error) from None


def _lookup(module, source, name):
    value = module
    for part in name.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            names = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                           and getattr(v, "__module__", None) == module.__name__)
            raise Failure("import", f"{source} has no function '{name}'; it defines: "
                          f"{', '.join(names) or 'no functions'}") from None
    if not callable(value):
        raise Failure("import", f"'{name}' in {source} is a {type(value).__name__}, not a function")
    return value


def hex_sha256(data):
    digest = sha256(len(data))
    digest.update(data)
    return digest.hexdigest()
