"""Modules from a run's code snapshot, for whatever reads the run's values.

A value pickled in a worker names each class by the module that defined it: a step's `.py` file
is the module `_flowspec_file_<stem>_<hash>` and a notebook `_flowspec_notebook_<stem>_<hash>`
(the hash is of the file's bytes, the name of its blob in the snapshot), a module target is
itself (`model`). Readers register the run's snapshot here (`register`): workers with each request
that reads values, the client for each run it reads. A module that cannot be imported otherwise
is then loaded from the snapshot's blob, so `flowspec get`, the client and a worker that never
loaded the file read such values from any folder. What that module imports must still be
importable.

`plain_pickle` writes a value so that plain `pickle.load` reads it without flowspec: the classes
of a step's file or notebook are named after the file (`model.Model`), so loading needs a module
`model` that defines them, the file itself on `sys.path`.
"""
import io
import os
import pickle
import sys
import types

from .blobs import blob_path
from .names import content_module_name, file_stem


class _Source:
    """One module's code: a raw blob of the store, run as a `.py` file or as a notebook. Its
    tracebacks name the file's absolute path when the record gives one (a worker of the run),
    else the blob, which holds the same source."""

    def __init__(self, store, record):
        self.path = record["path"]
        self.blob_file = blob_path(store, record["blob"])
        self.filename = self.path if os.path.isabs(self.path) else self.blob_file
        self.is_package = os.path.basename(self.path) == "__init__.py"

    def create_module(self, spec):
        return None  # the default module

    def exec_module(self, module):
        with open(self.blob_file, "rb") as file:
            data = file.read()
        if self.path.endswith(".ipynb"):
            from . import notebook
            notebook.run_cells(module, self.path, notebook.read_cells(self.path, data))
            return
        module.__file__ = self.filename  # where tracebacks and `inspect` find the source
        exec(compile(data, self.filename, "exec", dont_inherit=True), module.__dict__)


class _SnapshotFinder:
    """The last finder on `sys.meta_path`: modules no other finder has, from registered snapshots."""

    def __init__(self):
        self.sources = {}  # module name -> _Source

    def find_spec(self, name, path=None, target=None):
        source = self.sources.get(name)
        if source is None:
            return None
        import importlib.util
        return importlib.util.spec_from_loader(name, source, origin=source.blob_file,
                                               is_package=source.is_package)


_finder = _SnapshotFinder()


def module_name(record):
    """The module a snapshot record (`path`, `blob`, `module`) stands for."""
    if record.get("module"):
        return record["module"]
    kind = "notebook" if record["path"].endswith(".ipynb") else "file"
    return content_module_name(kind, record["path"], record["blob"])


def register(store, records):
    """Makes the modules of a run's snapshot (`code_files` rows as dicts of `path`, `blob`,
    `module`) importable; of two runs' modules of one name, the first registered is used."""
    for record in records:
        name = module_name(record)
        if name not in _finder.sources:
            _finder.sources[name] = _Source(store, record)
    if _finder not in sys.meta_path:
        sys.meta_path.append(_finder)


class _PlainPickler(pickle.Pickler):
    """Names a class or function of a step's file or notebook after the file, not the worker's
    module for it: `_flowspec_file_model_<hash>.Model` is written as `model.Model`."""

    def reducer_override(self, obj):
        if not isinstance(obj, (type, types.FunctionType)):
            return NotImplemented
        stem = file_stem(obj.__module__)
        qualname = obj.__qualname__
        if stem is None or "<locals>" in qualname:
            return NotImplemented
        target = _Import(stem)
        for part in qualname.split(".")[:-1]:
            target = _Attribute(target, part)
        return getattr, (target, qualname.split(".")[-1])


class _Import:
    def __init__(self, name):
        self.name = name

    def __reduce__(self):
        import importlib
        return importlib.import_module, (self.name,)


class _Attribute:
    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __reduce__(self):
        return getattr, (self.owner, self.name)


def plain_pickle(value):
    """`pickle.dumps(value, protocol=5)`, with the classes of step files named after their files."""
    stream = io.BytesIO()
    _PlainPickler(stream, protocol=5).dump(value)
    return stream.getvalue()
