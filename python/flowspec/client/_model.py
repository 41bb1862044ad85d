"""Flows, runs, steps, tasks, attempts and artifacts, read from a store (SPEC section 7)."""
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

from ._label import format_label, parse_label, task_path
from ._store import (NotFoundError, Store, nearest, not_found, observed_status, to_datetime)

_MISSING = object()


def _open(store):
    return store if isinstance(store, Store) else Store(store)


def flows(store=None):
    """The names of the flows recorded in the store, sorted."""
    return [row[0] for row in _open(store).query("SELECT name FROM flows ORDER BY name")]


# MARK: Artifacts

@dataclass(frozen=True)
class Artifact:
    """What the store records about one artifact, without unpickling it. `task_id` is the task
    that produced it (for a param: the run's first task); `value()` loads it."""
    name: str
    type: str
    size: int
    repr: str
    blob: str
    task_id: Optional[int]
    is_param: bool = False
    _store: Store = field(default=None, repr=False, compare=False)
    _run: Optional[str] = field(default=None, repr=False, compare=False)

    def value(self):
        what = f"{'param' if self.is_param else 'artifact'} {self.name!r} (blob {self.blob})"
        return self._store.load_value(self.blob, what, run=self._run)


class Data:
    """Artifacts by name, unpickled one at a time when read: `data.table`, `data["table"]`.
    `dir(data)`, `list(data)` and `data.artifacts` (name → Artifact) need no unpickling."""

    def __init__(self, artifacts, owner, empty_reason=None):
        self.__dict__["_artifacts"] = dict(sorted(artifacts.items()))
        self.__dict__["_values"] = {}
        self.__dict__["_owner"] = owner
        self.__dict__["_empty_reason"] = empty_reason

    @property
    def artifacts(self):
        return dict(self._artifacts)

    def _missing(self, name):
        if self._empty_reason:
            return f"{self._owner} has no artifact {name!r}: {self._empty_reason}"
        names = list(self._artifacts)
        message = f"{self._owner} has no artifact {name!r}"
        close = nearest(name, names)
        if close:
            message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        message += f" (available: {', '.join(names) if names else 'none'})"
        return message

    def _load(self, name):
        values = self._values
        if name not in values:
            values[name] = self._artifacts[name].value()
        return values[name]

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name not in self._artifacts:
            raise AttributeError(self._missing(name))
        return self._load(name)

    def __getitem__(self, name):
        if name not in self._artifacts:
            raise NotFoundError(self._missing(name))
        return self._load(name)

    def get(self, name, default=None):
        return self._load(name) if name in self._artifacts else default

    def __setattr__(self, name, value):
        raise AttributeError("artifacts are read-only")

    def __contains__(self, name):
        return name in self._artifacts

    def __iter__(self):
        return iter(self._artifacts)

    def __len__(self):
        return len(self._artifacts)

    def keys(self):
        return self._artifacts.keys()

    def items(self):
        """(name, value) pairs; unpickles every artifact."""
        return [(name, self._load(name)) for name in self._artifacts]

    def to_dict(self):
        return dict(self.items())

    def __dir__(self):
        return sorted(set(self._artifacts) | {"artifacts", "get", "keys", "items", "to_dict"})

    def __repr__(self):
        inside = ", ".join(f"{name}={a.type}" for name, a in self._artifacts.items())
        return f"<Data of {self._owner}: {inside or 'nothing'}>"


class Params(Mapping):
    """A run's params: name → value, each unpickled when first read."""

    def __init__(self, artifacts, run_id):
        self._artifacts = artifacts
        self._values = {}
        self._run_id = run_id

    @property
    def artifacts(self):
        return dict(self._artifacts)

    def __getitem__(self, name):
        if name not in self._artifacts:
            raise not_found("param", name, self._artifacts, f" in run {self._run_id}")
        if name not in self._values:
            self._values[name] = self._artifacts[name].value()
        return self._values[name]

    def __iter__(self):
        return iter(self._artifacts)

    def __len__(self):
        return len(self._artifacts)

    def __repr__(self):  # from the recorded reprs: nothing is unpickled
        return "{" + ", ".join(f"{n!r}: {a.repr}" for n, a in self._artifacts.items()) + "}"


def _param_artifacts(store, run, params_json, first_task=None):
    records = json.loads(params_json or "{}")
    return {name: Artifact(name=name, type=r.get("type", ""), size=r.get("size", 0),
                           repr=r.get("repr", ""), blob=r["blob"], task_id=first_task,
                           is_param=True, _store=store, _run=run)
            for name, r in records.items()}


# MARK: Flow

class Flow:
    """A flow's runs in a store: `Flow("MovieStats").latest_run`, `Flow("MovieStats")["latest"]`."""

    def __init__(self, name, store=None):
        self.store = _open(store)
        row = self.store.query_one("SELECT name, project, created_at FROM flows WHERE name = ?", (name,))
        if row is None:
            raise not_found("flow", name, flows(self.store), f" in store {self.store.path}")
        self.name = row["name"]
        self.project = row["project"]
        self.created_at = to_datetime(row["created_at"])

    @classmethod
    def list(cls, store=None):
        """The names of the flows in the store."""
        return flows(store)

    @property
    def runs(self):
        """Every run of the flow, newest first."""
        rows = self.store.query(f"SELECT {_RUN_COLUMNS} FROM runs WHERE flow = ? "
                                "ORDER BY created_at DESC, rowid DESC", (self.name,))
        return [Run(self.store, row) for row in rows]

    @property
    def latest_run(self):
        """The newest run, or None when the flow has none left."""
        row = self.store.query_one(f"SELECT {_RUN_COLUMNS} FROM runs WHERE flow = ? "
                                   "ORDER BY created_at DESC, rowid DESC LIMIT 1", (self.name,))
        return None if row is None else Run(self.store, row)

    def run(self, reference):
        """A run by id, unique id prefix, `latest`, or `FLOW/ID`."""
        reference = str(reference)
        if "/" in reference:
            flow, _, reference = reference.partition("/")
            if flow != self.name:
                raise NotFoundError(f"run {flow}/{reference} is not a run of flow {self.name!r}")
        if reference == "latest":
            run = self.latest_run
            if run is None:
                raise NotFoundError(f"flow {self.name!r} has no runs")
            return run
        pattern = reference.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.store.query(f"SELECT {_RUN_COLUMNS} FROM runs WHERE flow = ? AND id LIKE ? "
                                "ESCAPE '\\' ORDER BY created_at DESC, rowid DESC",
                                (self.name, pattern))
        exact = [row for row in rows if row["id"] == reference]
        if exact:
            return Run(self.store, exact[0])
        if len(rows) == 1:
            return Run(self.store, rows[0])
        if rows:
            raise NotFoundError(f"run id {reference!r} is ambiguous in flow {self.name!r}: it "
                                f"begins {', '.join(row['id'] for row in rows)}")
        ids = [row[0] for row in self.store.query(
            "SELECT id FROM runs WHERE flow = ? ORDER BY created_at DESC, rowid DESC", (self.name,))]
        raise not_found("run", reference, ids, f" of flow {self.name!r}")

    __getitem__ = run

    def __iter__(self):
        return iter(self.runs)

    def __len__(self):
        return self.store.query_one("SELECT COUNT(*) FROM runs WHERE flow = ?", (self.name,))[0]

    def __eq__(self, other):
        return isinstance(other, Flow) and (other.name, other.store.path) == (self.name, self.store.path)

    def __hash__(self):
        return hash((self.name, self.store.path))

    def __repr__(self):
        return f"Flow({self.name!r}, store={self.store.path!r})"


# MARK: Run

_RUN_COLUMNS = ("id, flow, status, params, tags, user, spec_path, spec_blob, code_fingerprint, "
                "python_version, python_executable, environment, created_at, finished_at, "
                "heartbeat_at, scheduler_pid, scheduler_host, scheduler_start, origin_run, resume_from")


class Run:
    """One run. Fields are read when the Run is made; `status` is read afresh each time."""

    def __init__(self, store, row):
        self.store = store
        self._row = row
        self.id = row["id"]
        self.flow = row["flow"]
        self.tags = list(json.loads(row["tags"] or "[]"))
        self.created_at = to_datetime(row["created_at"])
        self.user = row["user"]
        self.spec_path = row["spec_path"]
        self.python_version = row["python_version"]
        self.python_executable = row["python_executable"]
        self.environment = json.loads(row["environment"] or "{}")
        self.origin_run = row["origin_run"]
        self.resume_from = row["resume_from"]
        self._params = None
        self._views = {}
        self._data = None
        self._looping = None

    def _fresh_row(self):
        row = self.store.query_one(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (self.id,))
        if row is not None:
            self._row = row
        return self._row

    @property
    def status(self):
        """`running`, `completed`, `failed` or `interrupted` (a `running` run whose scheduler is
        gone shows as `interrupted`)."""
        return observed_status(self._fresh_row())

    @property
    def finished_at(self):
        return to_datetime(self._fresh_row()["finished_at"])

    @property
    def spec(self):
        """The spec's text as it was when the run began, or None."""
        blob = self._row["spec_blob"]
        return None if blob is None else self.store.read_raw(blob).decode("utf-8", "replace")

    @property
    def params(self):
        """Param name → value; each value is unpickled when first read."""
        if self._params is None:
            self._params = Params(_param_artifacts(self.store, self.id, self._row["params"]), self.id)
        return self._params

    # Steps

    def _step_rows(self):
        return self.store.query("SELECT name, position, kind, is_end FROM steps WHERE run = ? "
                                "ORDER BY position, name", (self.id,))

    @property
    def steps(self):
        """The run's steps in declaration order."""
        return [Step(self, row) for row in self._step_rows()]

    def __iter__(self):
        return iter(self.steps)

    def __len__(self):
        return len(self._step_rows())

    def __contains__(self, name):
        return any(row["name"] == name for row in self._step_rows())

    def __getitem__(self, name):
        rows = self._step_rows()
        for row in rows:
            if row["name"] == name:
                return Step(self, row)
        raise not_found("step", name, [row["name"] for row in rows], f" in run {self.id}")

    def _in_loop(self, step):
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

    def task(self, task_id):
        """A task of this run by its database id."""
        row = self.store.query_one(f"SELECT {_TASK_COLUMNS} FROM tasks WHERE id = ? AND run = ?",
                                   (task_id, self.id))
        if row is None:
            raise NotFoundError(f"no task with id {task_id} in run {self.id}")
        return Task(self, row)

    @property
    def end_task(self):
        """The end step's task that finished (completed or reused), or None."""
        row = self.store.query_one(
            f"SELECT {_TASK_COLUMNS_T} FROM tasks t JOIN steps s ON s.run = t.run AND s.name = t.step "
            "WHERE t.run = ? AND s.is_end = 1 AND t.status IN ('completed', 'reused') "
            "ORDER BY t.iteration DESC, t.id DESC LIMIT 1", (self.id,))
        return None if row is None else Task(self, row)

    @property
    def data(self):
        """The artifacts as the end step's task sees them; empty when the end step never finished."""
        if self._data is not None:
            return self._data
        end = self.end_task
        if end is None:
            return Data({}, f"run {self.id}", empty_reason=f"the run's end step never finished "
                                                         f"(run status: {self.status})")
        data = Data(self._visible(end.id), f"run {self.id}")
        if self._fresh_row()["status"] != "running":
            self._data = data  # a finished run's data no longer changes: keep loaded values
        return data

    # Visibility (specs/store-format.md, "What a task sees"; StoreReader+Visibility.swift)

    def _visible(self, task_id):
        """Name → Artifact that task `task_id` sees: its own outputs over its parents' views; at
        a join only names every parent sees with the same blob; the first task sees the params."""
        cacheable = self._row["status"] != "running"
        views = self._views if cacheable else {}
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
                if parents:
                    seen = dict(views[parents[0]])
                    for parent in parents[1:]:
                        other = views[parent]
                        seen = {n: a for n, a in seen.items() if n in other and other[n].blob == a.blob}
                else:
                    params_json = self.store.query_one(
                        "SELECT r.params FROM runs r JOIN tasks t ON t.run = r.id WHERE t.id = ?",
                        (current,))[0]
                    seen = _param_artifacts(self.store, self.id, params_json, first_task=current)
                for artifact in _own_artifacts(self.store, self.id, current):
                    seen[artifact.name] = artifact
                views[current] = seen
        return dict(views[task_id])

    def __eq__(self, other):
        return isinstance(other, Run) and (other.id, other.store.path) == (self.id, self.store.path)

    def __hash__(self):
        return hash((self.id, self.store.path))

    def __repr__(self):
        return f"<Run {self.flow}/{self.id} {self.status}>"


def _own_artifacts(store, run, task_id):
    rows = store.query("SELECT name, blob, type, size, repr FROM artifacts WHERE task = ? "
                       "ORDER BY name", (task_id,))
    return [Artifact(name=r["name"], type=r["type"], size=r["size"], repr=r["repr"], blob=r["blob"],
                     task_id=task_id, _store=store, _run=run) for r in rows]


# MARK: Step

_TASK_FIELDS = ("id", "step", "index_path", "index_key", "foreach_index", "iteration", "status",
                "origin_task", "created_at", "started_at", "finished_at")
_TASK_COLUMNS = ", ".join(_TASK_FIELDS)
_TASK_COLUMNS_T = ", ".join("t." + f for f in _TASK_FIELDS)


class Step:
    """A step of a run: its tasks in foreach order (`for t in step`, `step.task(0)`, `len(step)`)."""

    def __init__(self, run, row):
        self.run = run
        self.name = row["name"]
        self.position = row["position"]
        self.kind = row["kind"]
        self.is_end = bool(row["is_end"])

    def _task_rows(self):
        return self.run.store.query(
            f"SELECT {_TASK_COLUMNS} FROM tasks WHERE run = ? AND step = ? "
            "ORDER BY index_key, iteration, id", (self.run.id, self.name))

    @property
    def tasks(self):
        """The step's tasks, in foreach order (then by switch-loop iteration)."""
        return [Task(self.run, row) for row in self._task_rows()]

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self):
        return len(self._task_rows())

    def __getitem__(self, position):
        """The task at `position` in foreach order (a list index: `step[-1]` is the last)."""
        return self.tasks[position]

    def task(self, *index, iteration=None):
        """The task at foreach position `index` (`step.task(3)`; `step.task(2, 0)` in a nested
        foreach; `step.task()` outside any foreach), or the one a label names, as the commands
        write it (`step.task("2.0")`, `step.task("#1")`, `step.task("3#1")`). Of a switch loop's
        several passes, the last unless `iteration` (or `#K`) is given."""
        if len(index) == 1 and isinstance(index[0], str):
            return self._labelled(index[0])
        tasks = self.tasks
        if len(index) == 1 and isinstance(index[0], (tuple, list)):
            index = tuple(index[0])
        wanted = tuple(int(i) for i in index)
        matches = [t for t in tasks if t.path == wanted
                   and (iteration is None or t.iteration == iteration)]
        if not matches and len(wanted) == 1:
            # `task(i)` in a nested foreach: the inner position when it names a single task
            matches = [t for t in tasks if t.index == wanted[0]
                       and (iteration is None or t.iteration == iteration)]
            if len({t.path for t in matches}) > 1:
                paths = ", ".join(str(list(t.path)) for t in matches)
                raise NotFoundError(f"step {self.name!r} has several tasks at index {wanted[0]} "
                                    f"({paths}); give the whole path, e.g. task{tuple(matches[0].path)}")
        if not wanted and not matches and len({t.path for t in tasks}) == 1:
            matches = [t for t in tasks if iteration is None or t.iteration == iteration]
        if not matches:
            known = [list(t.path) for t in tasks]
            shown = ", ".join(str(k) for k in known[:20]) + (" …" if len(known) > 20 else "")
            raise NotFoundError(f"step {self.name!r} of run {self.run.id} has no task at "
                                f"{list(wanted)}" + (f" (iteration {iteration})" if iteration is not None else "")
                                + f"; its tasks: {shown or 'none'}")
        return matches[-1]

    def _labelled(self, label):
        """The task `label` names, as the commands resolve it: without `#K`, the last pass."""
        try:
            positions, loop_pass = parse_label(label)
        except ValueError as error:
            raise NotFoundError(str(error)) from None
        tasks = self.tasks
        matches = [t for t in tasks if t.path == positions and loop_pass in (None, t.iteration)]
        if not matches:
            raise not_found("task", label, [t.label for t in tasks],
                            f" of step {self.name!r} in run {self.run.id}")
        return matches[-1]

    @property
    def data(self):
        """The data of the step's task, when it has exactly one (outside a foreach)."""
        tasks = self.tasks
        if len({t.path for t in tasks}) != 1:
            raise NotFoundError(f"step {self.name!r} has {len(tasks)} tasks; pick one: "
                                f"step.task(i).data or [t.data for t in step]")
        return tasks[-1].data

    def __repr__(self):
        return f"<Step {self.run.id}/{self.name} ({self.kind}, {len(self)} tasks)>"


# MARK: Task and attempts

@dataclass(frozen=True)
class Attempt:
    """One attempt at a task (retries make several)."""
    number: int
    status: str
    started_at: object
    finished_at: object
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
    def failed(self):
        return self.status == "failed"


class Task:
    """A task: one execution of a step (one per foreach item)."""

    def __init__(self, run, row):
        self.run = run
        self.id = row["id"]
        self.step = row["step"]
        self.path = tuple(json.loads(row["index_path"] or "[]"))
        self.index = row["foreach_index"]
        self.iteration = row["iteration"]
        self.origin_task = row["origin_task"]
        self.created_at = to_datetime(row["created_at"])
        self._row = row

    def _fresh(self):
        row = self.run.store.query_one(f"SELECT {_TASK_COLUMNS} FROM tasks WHERE id = ?", (self.id,))
        if row is not None:
            self._row = row
        return self._row

    @property
    def label(self):
        """How the commands name the task within its step: `2`, `2.0`, `#1` (a loop's second
        pass), `2#1`, or '' for the one task of a step in no foreach or loop."""
        return format_label(self.path, self._pass)

    @property
    def name(self):
        """The task as the commands name it: `per_genre/2`, `fit/2.0`, `train/#1`, `start`."""
        return task_path(self.step, self.path, self._pass)

    @property
    def _pass(self):
        return self.iteration if self.run._in_loop(self.step) else None

    @property
    def status(self):
        """As the store says, but `interrupted` for a task a stop ended (stored `failed`, its last
        attempt's error kind `interrupted`) or that was `running` when its scheduler died."""
        status = self._fresh()["status"]
        if status == "running" and self.run.status == "interrupted":
            return "interrupted"
        if status == "failed":
            last = self.run.store.query_one(
                "SELECT error_kind FROM attempts WHERE task = ? ORDER BY number DESC LIMIT 1", (self.id,))
            if last is not None and last["error_kind"] == "interrupted":
                return "interrupted"
        return status

    @property
    def started_at(self):
        return to_datetime(self._fresh()["started_at"])

    @property
    def finished_at(self):
        return to_datetime(self._fresh()["finished_at"])

    @property
    def attempts(self):
        store = self.run.store
        # Output too large for its row is in a raw blob (store-format.md); older stores lack the columns.
        spills = store.query_one("SELECT 1 FROM pragma_table_info('attempts') WHERE name = 'stdout_blob'")
        rows = store.query(
            "SELECT number, status, started_at, finished_at, seconds, worker_pid, exit_status, "
            "signal, error_kind, error_type, error_message, error_traceback, stdout, stderr, "
            + ("stdout_blob, stderr_blob " if spills else "NULL AS stdout_blob, NULL AS stderr_blob ")
            + "FROM attempts WHERE task = ? ORDER BY number", (self.id,))

        def output(text, blob):
            return store.read_raw(blob).decode("utf-8", "replace") if blob else text or ""
        return [Attempt(number=r["number"], status=r["status"], started_at=to_datetime(r["started_at"]),
                        finished_at=to_datetime(r["finished_at"]), seconds=r["seconds"],
                        worker_pid=r["worker_pid"], exit_status=r["exit_status"], signal=r["signal"],
                        error_kind=r["error_kind"], error_type=r["error_type"],
                        error_message=r["error_message"], error_traceback=r["error_traceback"],
                        stdout=output(r["stdout"], r["stdout_blob"]),
                        stderr=output(r["stderr"], r["stderr_blob"])) for r in rows]

    @property
    def last_attempt(self):
        attempts = self.attempts
        return attempts[-1] if attempts else None

    @property
    def stdout(self):
        """Captured stdout of the last attempt ('' when none)."""
        last = self.last_attempt
        return last.stdout if last else ""

    @property
    def stderr(self):
        last = self.last_attempt
        return last.stderr if last else ""

    @property
    def error(self):
        """The last attempt's error message, or None."""
        last = self.last_attempt
        return last.error_message if last and last.status == "failed" else None

    @property
    def artifacts(self):
        """Name → Artifact (type, size, repr, producing task) for what the task sees; nothing is
        unpickled."""
        return dict(sorted(self.run._visible(self.id).items()))

    @property
    def outputs(self):
        """Name → Artifact for the artifacts this task produced itself."""
        return {a.name: a for a in _own_artifacts(self.run.store, self.run.id, self.id)}

    @property
    def data(self):
        """The artifacts the task sees, each unpickled when read."""
        return Data(self.run._visible(self.id), f"task {self.run.id}/{self.name}")

    @property
    def parents(self):
        rows = self.run.store.query(
            f"SELECT {_TASK_COLUMNS_T} FROM task_parents p JOIN tasks t ON t.id = p.parent "
            "WHERE p.task = ? ORDER BY p.position", (self.id,))
        return [Task(self.run, row) for row in rows]

    @property
    def inputs(self):
        """At a join: what each parent saw, in branch or item order."""
        return [parent.data for parent in self.parents]

    def __eq__(self, other):
        return isinstance(other, Task) and (other.id, other.run.store.path) == (self.id, self.run.store.path)

    def __hash__(self):
        return hash((self.id, self.run.store.path))

    def __repr__(self):
        return f"<Task {self.run.id}/{self.name} {self.status}>"
