"""One run: its fields, steps, params, the data its end step saw, and its code."""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Iterator, Optional

from ._data import Artifact, Data, Params, own_artifacts, param_artifacts
from ._namespace import run_tags
from ._step import Step
from ._store import NotFoundError, Store, not_found, observed_status, to_datetime
from ._task import TASK_COLUMNS_T, Task

if TYPE_CHECKING:
    from ._flow import Flow

RUN_COLUMNS = ("id, flow, status, params, tags, user, spec_path, spec_blob, code_fingerprint, "
               "python_version, python_executable, environment, created_at, finished_at, "
               "heartbeat_at, scheduler_pid, scheduler_host, scheduler_start, origin_run, resume_from")


class Run:
    """One run: `Run("MovieStats/20261121-233541-186b")`, `Flow("MovieStats").latest_run`.
    Fields are read when the Run is made; `status`, `finished_at` and `failure` afresh each time."""

    def __new__(cls, pathspec: str, store=None, *, _namespace_check: bool = True):
        from ._pathspec import resolve
        return resolve(pathspec, store, "run", _namespace_check)

    @classmethod
    def _from_row(cls, store: Store, row) -> Run:
        run = object.__new__(cls)
        run.store = store
        run._row = row
        run.id = row["id"]
        run.flow = row["flow"]
        run._tags = json.loads(row["tags"] or "[]")
        run.system_tags, run.user_tags = run_tags(run._tags, row["user"])
        run.created_at = to_datetime(row["created_at"])
        run.user = row["user"]
        run.spec_path = row["spec_path"]
        run.python_version = row["python_version"]
        run.python_executable = row["python_executable"]
        run.environment = json.loads(row["environment"] or "{}")
        run.origin_run = row["origin_run"]
        run.resume_from = row["resume_from"]
        run._params = None
        run._views = {}
        run._data = None
        run._looping = None
        return run

    @classmethod
    def _by_id(cls, store: Store, run_id: str) -> Run:
        row = store.query_one(f"SELECT {RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,))
        if row is None:
            raise NotFoundError(f"no run {run_id!r} in store {store.path}")
        return cls._from_row(store, row)

    def _fresh_row(self):
        row = self.store.query_one(f"SELECT {RUN_COLUMNS} FROM runs WHERE id = ?", (self.id,))
        if row is not None:
            self._row = row
        return self._row

    # Names and tags

    @property
    def pathspec(self) -> str:
        return f"{self.flow}/{self.id}"

    @property
    def parent(self) -> Flow:
        from ._flow import Flow
        return Flow(self.flow, store=self.store, _namespace_check=False)

    @property
    def tags(self) -> frozenset:
        """The run's tags: those given with `--tag` and the system tags (`user:NAME`, …)."""
        return self.system_tags | self.user_tags

    # State

    @property
    def status(self) -> str:
        """`running`, `completed`, `failed` or `interrupted` (a `running` run whose scheduler is
        gone shows as `interrupted`)."""
        return observed_status(self._fresh_row())

    @property
    def successful(self) -> bool:
        """Completed: its end step ran."""
        return self.status == "completed"

    @property
    def finished(self) -> bool:
        """Over: completed, failed or interrupted (Metaflow says False for a run that failed)."""
        return self.status != "running"

    @property
    def finished_at(self) -> Optional[datetime]:
        """When the run ended, however it ended; None while it runs."""
        return to_datetime(self._fresh_row()["finished_at"])

    @property
    def failure(self) -> Optional[str]:
        """Why a failed run failed, one line per failure it ended with (`each/1: ValueError: bad
        row 2`), the scheduler's own included (a fan-out too wide, a join that never ran); else None."""
        if not self.store.query_one("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'failure'"):
            return None  # a store older than the column
        return self.store.query_one("SELECT failure FROM runs WHERE id = ?", (self.id,))[0]

    @property
    def spec(self) -> Optional[str]:
        """The spec's text as it was when the run began, or None."""
        blob = self._row["spec_blob"]
        return None if blob is None else self.store.read_raw(blob).decode("utf-8", "replace")

    @property
    def code(self) -> Code:
        """The code the run ran: its spec and the Python files and notebooks its steps named."""
        return Code(self)

    @property
    def params(self) -> Params:
        """Param name → value; each value is unpickled when first read."""
        if self._params is None:
            self._params = Params(param_artifacts(self.store, self.id, self._row["params"]), self.id)
        return self._params

    # Steps

    def _step_rows(self):
        return self.store.query("SELECT name, position, kind, is_end FROM steps WHERE run = ? "
                                "ORDER BY position, name", (self.id,))

    def steps(self, *tags: str) -> list[Step]:
        """The run's steps in declaration order; with tags, only if the run carries them all."""
        if not all(tag in self.tags for tag in tags):
            return []
        return [Step._from_row(self, row) for row in self._step_rows()]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps())

    def __len__(self) -> int:
        return len(self._step_rows())

    def __contains__(self, name: object) -> bool:
        return any(row["name"] == name for row in self._step_rows())

    def __getitem__(self, name: str) -> Step:
        rows = self._step_rows()
        for row in rows:
            if row["name"] == name:
                return Step._from_row(self, row)
        raise not_found("step", name, [row["name"] for row in rows], f" in run {self.pathspec}")

    def _in_loop(self, step: str) -> bool:
        """Whether `step` is inside a switch loop, so its tasks' labels carry their pass (for a
        run recorded before steps said so: whether the step has a later pass)."""
        if self._looping is None:
            columns = {row[1] for row in self.store.query("PRAGMA table_info(steps)")}
            recorded = "s.in_loop" if "in_loop" in columns else "NULL"
            self._looping = {row[0]: bool(row[1]) for row in self.store.query(
                f"SELECT s.name, COALESCE({recorded}, EXISTS (SELECT 1 FROM tasks t WHERE "
                "t.run = s.run AND t.step = s.name AND t.iteration > 0)) FROM steps s WHERE s.run = ?",
                (self.id,))}
        return self._looping.get(step, False)

    @property
    def end_task(self) -> Optional[Task]:
        """The end step's task that finished (completed or reused), or None."""
        row = self.store.query_one(
            f"SELECT {TASK_COLUMNS_T} FROM tasks t JOIN steps s ON s.run = t.run AND s.name = t.step "
            "WHERE t.run = ? AND s.is_end = 1 AND t.status IN ('completed', 'reused') "
            "ORDER BY t.iteration DESC, t.id DESC LIMIT 1", (self.id,))
        return None if row is None else Task._from_row(self, row)

    @property
    def data(self) -> Data:
        """The artifacts as the end step's task sees them; empty when the end step never finished."""
        if self._data is not None:
            return self._data
        end = self.end_task
        if end is None:
            return Data({}, f"run {self.pathspec}",
                        empty_reason=f"the run's end step never finished (run status: {self.status})")
        data = Data(self._visible(end.row_id), f"run {self.pathspec}")
        if self._fresh_row()["status"] != "running":
            self._data = data  # a finished run's data no longer changes: keep loaded values
        return data

    # Visibility (specs/store-format.md, "What a task sees"; StoreReader+Visibility.swift)

    def _visible(self, task_id: int) -> dict[str, Artifact]:
        """Name → Artifact that task `task_id` sees: its own outputs over its parents' views; at
        a join only names every parent sees with the same blob; the first task sees the params."""
        views = self._views if self._row["status"] != "running" else {}
        stack = [task_id]
        with self.store.snapshot():
            while stack:
                current = stack[-1]
                if current in views:
                    stack.pop()
                    continue
                parents = [row[0] for row in self.store.query(
                    "SELECT parent FROM task_parents WHERE task = ? ORDER BY position", (current,))]
                pending = [p for p in parents if p not in views]
                if pending:
                    stack.extend(reversed(pending))
                    continue
                stack.pop()
                views[current] = self._view(current, [views[p] for p in parents])
        return dict(views[task_id])

    def _view(self, task_id: int, parent_views: list[dict]) -> dict[str, Artifact]:
        if parent_views:
            seen = dict(parent_views[0])
            for other in parent_views[1:]:
                seen = {n: a for n, a in seen.items() if n in other and other[n].blob == a.blob}
        else:
            params_json = self.store.query_one(
                "SELECT r.params FROM runs r JOIN tasks t ON t.run = r.id WHERE t.id = ?", (task_id,))[0]
            seen = param_artifacts(self.store, self.id, params_json, first_task=task_id)
        for artifact in own_artifacts(self.store, self.id, task_id):
            seen[artifact.name] = artifact
        return seen

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Run) and (other.id, other.store.path) == (self.id, self.store.path)

    def __hash__(self) -> int:
        return hash((self.id, self.store.path))

    def __repr__(self) -> str:  # as Metaflow shows it
        return f"Run({self.pathspec!r})"


class Code:
    """A run's code snapshot: `spec` (also `flowspec`, Metaflow's name for the flow's source),
    `spec_path`, and `files`: path (relative to the spec's folder) → bytes, for every `.py`
    file and notebook its steps named and the files of the modules they import by name."""

    def __init__(self, run: Run):
        self._run = run
        self.spec_path = run.spec_path

    @property
    def spec(self) -> Optional[str]:
        return self._run.spec

    flowspec = spec

    @property
    def paths(self) -> list[str]:
        rows = self._run.store.query("SELECT path FROM code_files WHERE run = ? ORDER BY path", (self._run.id,))
        return [row[0] for row in rows]

    @property
    def files(self) -> dict[str, bytes]:
        store = self._run.store
        rows = store.query("SELECT path, blob FROM code_files WHERE run = ? ORDER BY path", (self._run.id,))
        return {row["path"]: store.read_raw(row["blob"]) for row in rows}

    def __repr__(self) -> str:
        return f"<Code of run {self._run.pathspec}: {self.spec_path}, {len(self.paths)} files>"
