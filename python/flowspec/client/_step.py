"""A step of a run: its tasks, in foreach order."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Iterator, Optional, Union

from ._data import Data
from ._label import parse_label
from ._store import NotFoundError, not_found
from ._task import TASK_COLUMNS, Task

if TYPE_CHECKING:
    from ._run import Run


class Step:
    """A step of a run: `Step("MovieStats/20261121-233541-186b/per_genre")`, `run["per_genre"]`.
    Its tasks in foreach order: `for t in step`, `step.tasks()`, `step[-1]`, `len(step)`;
    `step.task` is the first (the only one outside a foreach), `step.task_at(3)` the one at a
    foreach position."""

    def __new__(cls, pathspec: str, store=None, *, _namespace_check: bool = True):
        from ._pathspec import resolve
        return resolve(pathspec, store, "step", _namespace_check)

    @classmethod
    def _from_row(cls, run: Run, row) -> Step:
        step = object.__new__(cls)
        step.run = run
        step.name = row["name"]
        step.position = row["position"]
        step.kind = row["kind"]
        step.is_end = bool(row["is_end"])
        return step

    @property
    def id(self) -> str:
        return self.name

    @property
    def pathspec(self) -> str:
        return f"{self.run.pathspec}/{self.name}"

    @property
    def parent(self) -> Run:
        return self.run

    def _task_rows(self):
        return self.run.store.query(
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE run = ? AND step = ? "
            "ORDER BY index_key, iteration, id", (self.run.id, self.name))

    def _all(self) -> list[Task]:
        return [Task._from_row(self.run, row) for row in self._task_rows()]

    def tasks(self, *tags: str) -> list[Task]:
        """The step's tasks in foreach order (then by loop pass); with tags, only if the run
        carries every one of them (a task has its run's tags, as in Metaflow)."""
        return self._all() if all(tag in self.run.tags for tag in tags) else []

    @property
    def task(self) -> Optional[Task]:
        """The step's first task in foreach order (its only one outside a foreach and a loop),
        or None before any was made; `task_at` picks one by position."""
        row = self.run.store.query_one(
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE run = ? AND step = ? "
            "ORDER BY index_key, iteration, id LIMIT 1", (self.run.id, self.name))
        return None if row is None else Task._from_row(self.run, row)

    def __iter__(self) -> Iterator[Task]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._task_rows())

    def __getitem__(self, position: int) -> Task:
        """The task at `position` in foreach order (a list index: `step[-1]` is the last)."""
        return self._all()[position]

    def task_at(self, *index: Union[int, str], iteration: Optional[int] = None) -> Task:
        """The task at foreach position `index` (`step.task_at(3)`; `step.task_at(2, 0)` in a
        nested foreach; `step.task_at()` outside any foreach), or the one a label names, as the
        commands write it (`step.task_at("2.0")`, `"#1"`, `"3#1"`). Of a switch loop's several
        passes, the last unless `iteration` (or `#K`) is given."""
        if len(index) == 1 and isinstance(index[0], str):
            return self._labelled(index[0])
        if len(index) == 1 and isinstance(index[0], (tuple, list)):
            index = tuple(index[0])
        wanted = tuple(int(i) for i in index)
        tasks = self._all()
        matches = _at(tasks, wanted, iteration)
        if not matches and len(wanted) == 1:
            matches = self._inner(tasks, wanted[0], iteration)
        if not wanted and not matches and len({t.path for t in tasks}) == 1:
            matches = [t for t in tasks if iteration is None or t.iteration == iteration]
        if not matches:
            known = [list(t.path) for t in tasks]
            shown = ", ".join(str(k) for k in known[:20]) + (" …" if len(known) > 20 else "")
            pass_ = f" (iteration {iteration})" if iteration is not None else ""
            raise NotFoundError(f"step {self.name!r} of run {self.run.id} has no task at "
                                f"{list(wanted)}{pass_}; its tasks: {shown or 'none'}")
        return matches[-1]

    def _inner(self, tasks: list[Task], position: int, iteration: Optional[int]) -> list[Task]:
        """`task_at(i)` in a nested foreach: the inner position, when it names a single task."""
        matches = [t for t in tasks if t.index == position and (iteration is None or t.iteration == iteration)]
        if len({t.path for t in matches}) > 1:
            paths = ", ".join(str(list(t.path)) for t in matches)
            raise NotFoundError(f"step {self.name!r} has several tasks at index {position} ({paths}); "
                                f"give the whole path, e.g. task_at{tuple(matches[0].path)}")
        return matches

    def _labelled(self, label: str) -> Task:
        """The task `label` names, as the commands resolve it: without `#K`, the last pass; ''
        names a step's one task."""
        tasks = self._all()
        if label == "" and len({t.path for t in tasks}) > 1:
            labels = ", ".join(t.label for t in tasks[:20]) + (" …" if len(tasks) > 20 else "")
            raise NotFoundError(f"step {self.name!r} of run {self.run.id} has {len(tasks)} tasks: name one "
                                f"by its label ({labels})")
        if label == "":
            return self.task_at()
        try:
            positions, loop_pass = parse_label(label)
        except ValueError as error:
            raise NotFoundError(str(error)) from None
        matches = [t for t in tasks if t.path == positions and loop_pass in (None, t.iteration)]
        if not matches:
            raise not_found("task", label, [t.label for t in tasks],
                            f" of step {self.name!r} in run {self.run.id}")
        return matches[-1]

    @property
    def data(self) -> Data:
        """The data of the step's task, when it has exactly one (outside a foreach)."""
        tasks = self._all()
        if len({t.path for t in tasks}) != 1:
            raise NotFoundError(f"step {self.name!r} has {len(tasks)} tasks; pick one: "
                                f"step.task_at(i).data or [t.data for t in step]")
        return tasks[-1].data

    @property
    def finished_at(self) -> Optional[datetime]:
        """When its last task finished, once all have; else None."""
        times = [t.finished_at for t in self._all()]
        return None if not times or None in times else max(times)

    @property
    def created_at(self):
        first = self.task
        return None if first is None else first.created_at

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and (other.run, other.name) == (self.run, self.name)

    def __hash__(self) -> int:
        return hash((self.run, self.name))

    def __repr__(self) -> str:
        return f"Step({self.pathspec!r})"


def _at(tasks: list[Task], wanted: tuple, iteration: Optional[int]) -> list[Task]:
    return [t for t in tasks if t.path == wanted and (iteration is None or t.iteration == iteration)]
