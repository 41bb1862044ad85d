"""Artifacts and params as the store records them, and `Data`: artifacts by name, each unpickled
when first read."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ._store import NotFoundError, Store, nearest, not_found


@dataclass(frozen=True)
class Artifact:
    """What the store records about one artifact, without unpickling it: `name` (also `id`, as
    in Metaflow), `type`, `size`, `repr` and `blob`; `data` (or `value()`) loads it.
    `task_row_id` is the database id of the task that produced it (for a param: the run's first
    task, `Task.row_id`)."""
    name: str
    type: str
    size: int
    repr: str
    blob: str
    task_row_id: Optional[int]
    is_param: bool = False
    _store: Store = field(default=None, repr=False, compare=False)
    _run: Optional[str] = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.name

    @property
    def sha(self) -> str:
        """The blob's SHA-256 (Metaflow names an artifact's hash `sha`)."""
        return self.blob

    @property
    def data(self) -> Any:
        """The value, unpickled (each time: `Data` keeps what it loaded)."""
        return self.value()

    def value(self) -> Any:
        what = f"{'param' if self.is_param else 'artifact'} {self.name!r} (blob {self.blob})"
        return self._store.load_value(self.blob, what, run=self._run)


class Data:
    """Artifacts by name, unpickled one at a time when read: `data.table`, `data["table"]`.
    `dir(data)`, `list(data)`, `"x" in data` and `data.artifacts` (name → Artifact) unpickle
    nothing. An artifact's name wins over the methods here: `data.items` is the artifact when
    one is called `items` (`Data.items(data)` is then the method), and `data["items"]` is
    always the artifact."""

    def __init__(self, artifacts: Mapping[str, Artifact], owner: str, empty_reason: Optional[str] = None):
        object.__setattr__(self, "_artifacts", dict(sorted(artifacts.items())))
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_empty_reason", empty_reason)

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            artifacts = object.__getattribute__(self, "_artifacts")
            if name in artifacts:
                return object.__getattribute__(self, "_load")(name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name: str) -> Any:  # only for names that are neither artifacts nor methods
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name in self._artifacts:
            return self._load(name)
        raise AttributeError(self._missing(name))

    @property
    def artifacts(self) -> dict[str, Artifact]:
        return dict(self._artifacts)

    def _missing(self, name: str) -> str:
        if self._empty_reason:
            return f"{self._owner} has no artifact {name!r}: {self._empty_reason}"
        names = list(self._artifacts)
        message = f"{self._owner} has no artifact {name!r}"
        close = nearest(name, names)
        if close:
            message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        return message + f" (available: {', '.join(names) if names else 'none'})"

    def _load(self, name: str) -> Any:
        values = self._values
        if name not in values:
            values[name] = self._artifacts[name].value()
        return values[name]

    def __getitem__(self, name: str) -> Any:
        if name not in self._artifacts:
            raise NotFoundError(self._missing(name))
        return self._load(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._load(name) if name in self._artifacts else default

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("artifacts are read-only")

    def __contains__(self, name: object) -> bool:
        return name in self._artifacts

    def __iter__(self) -> Iterator[str]:
        return iter(self._artifacts)

    def __len__(self) -> int:
        return len(self._artifacts)

    def keys(self):
        return self._artifacts.keys()

    def items(self) -> list[tuple[str, Any]]:
        """(name, value) pairs; unpickles every artifact."""
        return [(name, self._load(name)) for name in self._artifacts]

    def to_dict(self) -> dict[str, Any]:
        return dict(Data.items(self))

    def __dir__(self) -> list[str]:
        return sorted(set(self._artifacts) | {"artifacts", "get", "keys", "items", "to_dict"})

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={a.type}" for name, a in self._artifacts.items())
        return f"<Data of {self._owner}: {inside or 'nothing'}>"


class Params(Mapping):
    """A run's params: name → value, each unpickled when first read."""

    def __init__(self, artifacts: Mapping[str, Artifact], run_id: str):
        self._artifacts = dict(artifacts)
        self._values: dict[str, Any] = {}
        self._run_id = run_id

    @property
    def artifacts(self) -> dict[str, Artifact]:
        return dict(self._artifacts)

    def __getitem__(self, name: str) -> Any:
        if name not in self._artifacts:
            raise not_found("param", name, self._artifacts, f" in run {self._run_id}")
        if name not in self._values:
            self._values[name] = self._artifacts[name].value()
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._artifacts)

    def __len__(self) -> int:
        return len(self._artifacts)

    def __repr__(self) -> str:  # from the recorded reprs: nothing is unpickled
        return "{" + ", ".join(f"{n!r}: {a.repr}" for n, a in self._artifacts.items()) + "}"


def param_artifacts(store: Store, run: str, params_json: Optional[str],
                    first_task: Optional[int] = None) -> dict[str, Artifact]:
    records = json.loads(params_json or "{}")
    return {name: Artifact(name=name, type=r.get("type", ""), size=r.get("size", 0),
                           repr=r.get("repr", ""), blob=r["blob"], task_row_id=first_task,
                           is_param=True, _store=store, _run=run)
            for name, r in records.items()}


def own_artifacts(store: Store, run: str, task_row_id: int) -> list[Artifact]:
    rows = store.query("SELECT name, blob, type, size, repr FROM artifacts WHERE task = ? "
                       "ORDER BY name", (task_row_id,))
    return [Artifact(name=r["name"], type=r["type"], size=r["size"], repr=r["repr"], blob=r["blob"],
                     task_row_id=task_row_id, _store=store, _run=run) for r in rows]
