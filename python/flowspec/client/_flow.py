"""Flows and their runs, seen through the namespace in force (`namespace()`), and `Metaflow()`,
every flow of a store."""
from __future__ import annotations

from typing import Iterator, Optional

from ._namespace import describe, get_namespace
from ._run import RUN_COLUMNS, Run
from ._store import NamespaceMismatchError, NotFoundError, Store, not_found, to_datetime

_NEWEST_FIRST = "ORDER BY created_at DESC, rowid DESC"


def open_store(store) -> Store:
    return store if isinstance(store, Store) else Store(store)


def in_namespace(run: Run, ns: Optional[str]) -> bool:
    return ns is None or ns in run.tags


def flows(store=None) -> list[str]:
    """The names of the flows with a run in the namespace in force, sorted."""
    return [flow.name for flow in Metaflow(store).flows]


class Metaflow:
    """Every flow of a store (`store=`, else the default one): `Metaflow().flows`,
    `Metaflow()["MovieStats"]`. As in Metaflow, only flows with a run in the namespace in force."""

    def __init__(self, store=None):
        self.store = open_store(store)

    @property
    def flows(self) -> list[Flow]:
        return list(self)

    def __iter__(self) -> Iterator[Flow]:
        for (name,) in self.store.query("SELECT name FROM flows ORDER BY name"):
            flow = Flow(name, store=self.store, _namespace_check=False)
            if flow.latest_run is not None:
                yield flow

    def __getitem__(self, name: str) -> Flow:
        return Flow(name, store=self.store)

    def __repr__(self) -> str:
        return f"Metaflow(store={self.store.path!r})"


class Flow:
    """A flow's runs in a store: `Flow("MovieStats").latest_run`, `Flow("MovieStats")["latest"]`,
    `Flow("MovieStats").runs("nightly")`. Only runs in the namespace in force (`namespace()`; by
    default the current user's) are seen, and a flow with none there raises NamespaceMismatchError."""

    def __init__(self, name: str, store=None, *, _namespace_check: bool = True):
        self.store = open_store(store)
        row = self.store.query_one("SELECT name, project, created_at FROM flows WHERE name = ?", (name,))
        if row is None:
            names = [r[0] for r in self.store.query("SELECT name FROM flows ORDER BY name")]
            raise not_found("flow", name, names, f" in store {self.store.path}")
        self.name = row["name"]
        self.project = row["project"]
        self.created_at = to_datetime(row["created_at"])
        if _namespace_check and self.latest_run is None and len(self._rows()) > 0:
            raise self._mismatch(f"flow {self.name!r} has no run in")

    @classmethod
    def list(cls, store=None) -> list[str]:
        """The names of the flows with a run in the namespace in force."""
        return flows(store)

    @property
    def id(self) -> str:
        return self.name

    @property
    def pathspec(self) -> str:
        return self.name

    def _rows(self):
        return self.store.query(f"SELECT {RUN_COLUMNS} FROM runs WHERE flow = ? {_NEWEST_FIRST}", (self.name,))

    def runs(self, *tags: str) -> list[Run]:
        """The flow's runs in the namespace, newest first; with tags, those carrying every one."""
        ns = get_namespace()
        runs = (Run._from_row(self.store, row) for row in self._rows())
        return [run for run in runs if in_namespace(run, ns) and all(tag in run.tags for tag in tags)]

    @property
    def latest_run(self) -> Optional[Run]:
        """The newest run in the namespace (running, or over however it ended), or None."""
        runs = self.runs()
        return runs[0] if runs else None

    @property
    def latest_successful_run(self) -> Optional[Run]:
        """The newest completed run in the namespace, or None."""
        return next((run for run in self.runs() if run.successful), None)

    def run(self, reference: str) -> Run:
        """A run by id, unique id prefix, `latest`, or `FLOW/ID`, in the namespace."""
        run = self._resolve(str(reference))
        ns = get_namespace()
        if not in_namespace(run, ns):
            raise self._mismatch(f"run {run.pathspec} is not in", run)
        return run

    __getitem__ = run

    def _resolve(self, reference: str) -> Run:
        if "/" in reference:
            flow, _, reference = reference.partition("/")
            if flow != self.name:
                raise NotFoundError(f"run {flow}/{reference} is not a run of flow {self.name!r}")
        if reference == "latest":
            run = self.latest_run
            if run is None:
                raise self._mismatch(f"flow {self.name!r} has no run in") if self._rows() else \
                    NotFoundError(f"flow {self.name!r} has no runs")
            return run
        pattern = reference.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.store.query(f"SELECT {RUN_COLUMNS} FROM runs WHERE flow = ? AND id LIKE ? "
                                f"ESCAPE '\\' {_NEWEST_FIRST}", (self.name, pattern))
        exact = [row for row in rows if row["id"] == reference]
        if exact or len(rows) == 1:
            return Run._from_row(self.store, (exact or rows)[0])
        if rows:
            raise NotFoundError(f"run id {reference!r} is ambiguous in flow {self.name!r}: it "
                                f"begins {', '.join(row['id'] for row in rows)}")
        ids = [row["id"] for row in self._rows()]
        raise not_found("run", reference, ids, f" of flow {self.name!r}")

    def _mismatch(self, what: str, run: Optional[Run] = None) -> NamespaceMismatchError:
        ns = get_namespace()
        users = sorted({row["user"] or "no user" for row in self._rows()})
        where = f" (it is tagged {', '.join(sorted(run.tags))})" if run is not None and run.tags else \
            f" (its runs are by {', '.join(users)})" if run is None else ""
        return NamespaceMismatchError(f"{what} {describe(ns)}{where}; namespace(None) sees every "
                                      f"user's runs, namespace('user:NAME') those of NAME")

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs())

    def __len__(self) -> int:
        return len(self.runs())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Flow) and (other.name, other.store.path) == (self.name, self.store.path)

    def __hash__(self) -> int:
        return hash((self.name, self.store.path))

    def __repr__(self) -> str:
        return f"Flow({self.name!r})"
