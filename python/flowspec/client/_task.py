"""A task (one execution of a step: one per foreach item, one per loop pass) and its attempts."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Iterator, Optional

from ._data import Artifact, Data, own_artifacts
from ._label import format_label, task_path
from ._store import not_found, to_datetime

if TYPE_CHECKING:
    from ._run import Run
    from ._step import Step

TASK_FIELDS = ("id", "step", "index_path", "index_key", "foreach_index", "iteration", "status",
               "origin_task", "created_at", "started_at", "finished_at")
TASK_COLUMNS = ", ".join(TASK_FIELDS)
TASK_COLUMNS_T = ", ".join("t." + f for f in TASK_FIELDS)


@dataclass(frozen=True)
class Attempt:
    """One attempt at a task (retries make several)."""
    number: int
    status: str
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    seconds: Optional[float]
    worker_pid: Optional[int]
    exit_status: Optional[int]
    signal: Optional[int]
    error_kind: Optional[str]
    error_type: Optional[str]
    error_message: Optional[str]
    error_traceback: Optional[str]
    stdout: str
    stderr: str

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True)
class TaskException:
    """Why a task's last attempt failed, as Metaflow's exception wrapper holds it: `type`
    (`builtins.ValueError`), `message` (`str(exc)`), `traceback` (the user's), and `kind` (the
    failure kind: `exception`, `timeout`, `lost`, … as `inspect` shows it)."""
    type: str
    message: str
    traceback: str
    kind: str

    def __str__(self) -> str:
        return f"{self.type}: {self.message}" if self.type else self.message


class Task:
    """A task. `id` is its label as the commands write it (`3`, `2.0`, `#1`, '' for a step's
    one task), `pathspec` is `FLOW/RUN/STEP/ID` (`FLOW/RUN/STEP` for a step's one task).
    `Task("MovieStats/20261121-233541-186b/per_genre/3")`; `task.data.x`, `task["x"].data`."""

    def __new__(cls, pathspec: str, store=None, *, _namespace_check: bool = True):
        from ._pathspec import resolve
        return resolve(pathspec, store, "task", _namespace_check)

    @classmethod
    def _from_row(cls, run: Run, row) -> Task:
        task = object.__new__(cls)
        task.run = run
        task.row_id = row["id"]
        task.step = row["step"]
        task.path = tuple(json.loads(row["index_path"] or "[]"))
        task.index = row["foreach_index"]
        task.iteration = row["iteration"]
        task.created_at = to_datetime(row["created_at"])
        task._origin_row_id = row["origin_task"]
        task._row = row
        return task

    def _fresh(self):
        row = self.run.store.query_one(f"SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?", (self.row_id,))
        if row is not None:
            self._row = row
        return self._row

    # Names

    @property
    def id(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the commands name the task within its step: `2`, `2.0`, `#1` (a loop's second
        pass), `2#1`, or '' for the one task of a step in no foreach or loop."""
        return format_label(self.path, self._pass)

    @property
    def name(self) -> str:
        """The task as the commands name it: `per_genre/2`, `fit/2.0`, `train/#1`, `start`."""
        return task_path(self.step, self.path, self._pass)

    @property
    def pathspec(self) -> str:
        return f"{self.run.pathspec}/{self.name}"

    @property
    def _pass(self) -> Optional[int]:
        return self.iteration if self.run._in_loop(self.step) else None

    @property
    def parent(self) -> Step:
        return self.run[self.step]

    @property
    def tags(self) -> frozenset:
        """The run's tags (a task has no tags of its own)."""
        return self.run.tags

    @property
    def code(self):
        return self.run.code

    # State

    @property
    def status(self) -> str:
        """As the store says, but `interrupted` for a task a stop ended (stored `failed`, its last
        attempt's error kind `interrupted`) or that was `running` when its scheduler died."""
        status = self._fresh()["status"]
        if status == "running" and self.run.status == "interrupted":
            return "interrupted"
        if status == "failed":
            last = self.run.store.query_one(
                "SELECT error_kind FROM attempts WHERE task = ? ORDER BY number DESC LIMIT 1", (self.row_id,))
            if last is not None and last["error_kind"] == "interrupted":
                return "interrupted"
        return status

    @property
    def successful(self) -> bool:
        """Completed, or reused from an earlier run (a caught failure counts: the step went on)."""
        return self.status in ("completed", "reused")

    @property
    def finished(self) -> bool:
        """Over, one way or another: completed, reused, failed or interrupted."""
        return self.status not in ("pending", "running")

    @property
    def started_at(self) -> Optional[datetime]:
        return to_datetime(self._fresh()["started_at"])

    @property
    def finished_at(self) -> Optional[datetime]:
        return to_datetime(self._fresh()["finished_at"])

    @property
    def origin(self) -> Optional[Task]:
        """For a `reused` task, the task of the earlier run it was taken from."""
        if self._origin_row_id is None:
            return None
        from ._run import Run
        store = self.run.store
        row = store.query_one(f"SELECT {TASK_COLUMNS}, run FROM tasks WHERE id = ?", (self._origin_row_id,))
        if row is None:
            return None
        return Task._from_row(Run._by_id(store, row["run"]), row)

    # Attempts and what they printed

    @property
    def attempts(self) -> list[Attempt]:
        return read_attempts(self.run.store, self.row_id)

    @property
    def last_attempt(self) -> Optional[Attempt]:
        attempts = self.attempts
        return attempts[-1] if attempts else None

    @property
    def stdout(self) -> str:
        """Captured stdout of the last attempt ('' when none)."""
        last = self.last_attempt
        return last.stdout if last else ""

    @property
    def stderr(self) -> str:
        last = self.last_attempt
        return last.stderr if last else ""

    @property
    def exception(self) -> Optional[TaskException]:
        """Why the last attempt failed (also for a failure the step's `catch` caught), or None."""
        last = self.last_attempt
        if last is None or last.status != "failed":
            return None
        return TaskException(type=last.error_type or "", message=last.error_message or "",
                             traceback=last.error_traceback or "", kind=last.error_kind or "")

    @property
    def error(self) -> Optional[str]:
        """The last attempt's error message, or None."""
        last = self.last_attempt
        return last.error_message if last and last.status == "failed" else None

    # Artifacts

    @property
    def artifacts(self) -> dict[str, Artifact]:
        """Name → Artifact (type, size, repr, producing task) for what the task sees; nothing is
        unpickled."""
        return dict(sorted(self.run._visible(self.row_id).items()))

    @property
    def outputs(self) -> dict[str, Artifact]:
        """Name → Artifact for the artifacts this task produced itself."""
        return {a.name: a for a in own_artifacts(self.run.store, self.run.id, self.row_id)}

    @property
    def data(self) -> Data:
        """The artifacts the task sees, each unpickled when read."""
        return Data(self.run._visible(self.row_id), f"task {self.pathspec}")

    def __getitem__(self, name: str) -> Artifact:
        """An artifact the task sees (`task["x"].data`, as in Metaflow)."""
        artifacts = self.run._visible(self.row_id)
        if name not in artifacts:
            raise not_found("artifact", name, sorted(artifacts), f" in task {self.pathspec}")
        return artifacts[name]

    def __contains__(self, name: object) -> bool:
        return name in self.run._visible(self.row_id)

    def __iter__(self) -> Iterator[Artifact]:
        return iter(self.artifacts.values())

    @property
    def parents(self) -> list[Task]:
        rows = self.run.store.query(
            f"SELECT {TASK_COLUMNS_T} FROM task_parents p JOIN tasks t ON t.id = p.parent "
            "WHERE p.task = ? ORDER BY p.position", (self.row_id,))
        return [Task._from_row(self.run, row) for row in rows]

    @property
    def inputs(self) -> list[Data]:
        """At a join: what each parent saw, in branch or item order."""
        return [parent.data for parent in self.parents]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Task) and (other.row_id, other.run.store.path) == (self.row_id, self.run.store.path)

    def __hash__(self) -> int:
        return hash((self.row_id, self.run.store.path))

    def __repr__(self) -> str:
        return f"Task({self.pathspec!r})"


def read_attempts(store, task_row_id: int) -> list[Attempt]:
    # Output too large for its row is in a raw blob (store-format.md); older stores lack the columns.
    spills = store.query_one("SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'stdout_blob'")
    rows = store.query(
        "SELECT number, status, started_at, finished_at, seconds, worker_pid, exit_status, "
        "signal, error_kind, error_type, error_message, error_traceback, stdout, stderr, "
        + ("stdout_blob, stderr_blob " if spills else "NULL AS stdout_blob, NULL AS stderr_blob ")
        + "FROM attempts WHERE task = ? ORDER BY number", (task_row_id,))

    def output(text, blob):
        return store.read_raw(blob).decode("utf-8", "replace") if blob else text or ""
    return [Attempt(number=r["number"], status=r["status"], started_at=to_datetime(r["started_at"]),
                    finished_at=to_datetime(r["finished_at"]), seconds=r["seconds"],
                    worker_pid=r["worker_pid"], exit_status=r["exit_status"], signal=r["signal"],
                    error_kind=r["error_kind"], error_type=r["error_type"],
                    error_message=r["error_message"], error_traceback=r["error_traceback"],
                    stdout=output(r["stdout"], r["stdout_blob"]),
                    stderr=output(r["stderr"], r["stderr_blob"])) for r in rows]
