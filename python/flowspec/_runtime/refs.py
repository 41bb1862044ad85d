"""Resolving the protocol's refs (`blob` with a path, `literal`, `list`, `namespaces`) to values."""
import os
import pickle
import types

from .blobs import blob_path, read_value
from .failures import Failure

_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None))


class _Containers:
    """Values of blobs read through a path (a foreach's `item` is `items[i]`), kept for the
    worker's life: every task of a fan-out reads the same list, and reading it whole for each
    task made a task's cost grow with the list. The kept value is never handed out: what a
    path selects is copied (unless immutable), so no task can change what a later one reads."""

    KEEP = 4
    MAX_BYTES = 64 << 20

    def __init__(self):
        self._values = {}  # (store, hex) -> value, least recently used first

    def select(self, store, ref):
        key = (store, ref["blob"])
        value = self._values.pop(key, None)
        if value is None:
            value = read_value(store, ref["blob"])
            if os.stat(blob_path(store, ref["blob"])).st_size > self.MAX_BYTES:
                return _follow(value, ref)
        self._values[key] = value
        while len(self._values) > self.KEEP:
            del self._values[next(iter(self._values))]
        selected = _follow(value, ref)
        try:
            return _detached(selected)
        except Exception:  # an element that does not pickle alone: read the blob afresh
            return _follow(read_value(store, ref["blob"]), ref)


_containers = _Containers()


class Namespace:
    """One incoming branch of a join, read-only: `branch.NAME` or `branch["NAME"]`."""

    __slots__ = ("_values",)

    def __init__(self, values):
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"this branch has no artifact '{name}'; it has: "
                                 f"{', '.join(sorted(self._values)) or 'none'}") from None

    def __getitem__(self, name):
        return self._values[name]

    def __contains__(self, name):
        return name in self._values

    def __iter__(self):
        return iter(self._values)

    def __setattr__(self, name, value):
        raise AttributeError("the namespaces of a join are read-only")

    def __dir__(self):
        return sorted(self._values)

    def __repr__(self):
        inner = ", ".join(f"{key}={value!r}" for key, value in self._values.items())
        return f"Namespace({inner})"

    def __reduce__(self):
        # Returned or stored, a branch becomes a plain SimpleNamespace: no flowspec import needed.
        return (types.SimpleNamespace, (), dict(self._values))


class Inputs(list):
    """What a join sees of its incoming branches: a list of them in order (one namespace per
    branch or foreach task), and, after static branches, each also as `inputs.STEP`, named by the
    step its branch ended at, as in Metaflow."""

    __slots__ = ("_by_step",)

    def __init__(self, branches, steps=None):
        super().__init__(branches)
        self._by_step = dict(zip(steps, branches)) if steps else {}

    def __getattribute__(self, name):
        by_step = object.__getattribute__(self, "_by_step")
        if name in by_step:
            return by_step[name]
        return super().__getattribute__(name)

    def __getattr__(self, name):
        steps = object.__getattribute__(self, "_by_step")
        if not steps:
            raise AttributeError(f"the inputs of a foreach join have no names; index them "
                                 f"(inputs[0]) or iterate over them, not inputs.{name}")
        raise AttributeError(f"no branch ended at step '{name}'; the branches ended at: "
                             f"{', '.join(steps)}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(object.__getattribute__(self, "_by_step")))

    def __reduce__(self):
        # Returned or stored, the inputs become a plain list of SimpleNamespaces.
        return (list, (list(self),))


class Resolver:
    """Resolves refs against one store; a blob used twice in a request is read once."""

    def __init__(self, store):
        self.store = store
        self._blobs = {}

    def resolve(self, ref):
        if "blob" in ref:
            if ref.get("path"):
                return _containers.select(self.store, ref)
            return self._blob(ref["blob"])
        if "literal" in ref:
            return ref["literal"]
        if "list" in ref:
            return [self.resolve(item) for item in ref["list"]]
        if "namespaces" in ref:
            return Inputs([Namespace({name: self.resolve(item) for name, item in branch.items()})
                           for branch in ref["namespaces"]], ref.get("steps"))
        raise ValueError(f"unknown ref {ref!r}")

    def _blob(self, hex_digest):
        if hex_digest not in self._blobs:
            self._blobs[hex_digest] = read_value(self.store, hex_digest)
        return self._blobs[hex_digest]


def describe(ref):
    """`<blob 1a2b3c4d>.x[0]["k"]`: a ref with its path, for messages."""
    text = f"<blob {ref['blob'][:8]}>"
    for kind, operand in ref.get("path", ()):
        text += f".{operand}" if kind == "attr" else f"[{operand!r}]" if kind == "key" else f"[{operand}]"
    return text


def _follow(value, ref):
    for accessor in ref.get("path", ()):
        value = _apply(value, accessor, ref)
    return value


def _detached(value):
    """A copy of `value` that shares nothing mutable with the kept container."""
    if type(value) in _IMMUTABLE:
        return value
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _apply(value, accessor, ref):
    kind, operand = accessor
    try:
        if kind == "attr":
            return getattr(value, operand)
        if kind in ("index", "key"):
            return value[operand]
    except Exception as error:
        raise Failure("binding", f"cannot resolve {describe(ref)}: {type(error).__name__}: {error}",
                      error) from None
    raise ValueError(f"unknown path accessor {accessor!r}")
