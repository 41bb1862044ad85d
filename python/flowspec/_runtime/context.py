"""`current`: what a running step knows about itself (`from flowspec import current`).

The handler sets it for each task (`running`) from the task request's `flow`, `run`,
`origin_run`, `task`, `index` and `attempt` (specs/worker-protocol.md) and clears it after, so a
warm worker's next task never sees the last one's. Outside a task every field is None and
`is_running_flow` is False, as in Metaflow. A function that never imports it is unchanged:
nothing is added to its globals or its arguments."""
import contextlib

_task = None  # the running task's fields, or None
_serial = 0   # counts the tasks this process began: state kept per task is reset when it changes


class Current:
    """The running task: `current.flow_name`, `run_id`, `step_name`, `task_id` (its label, as
    the commands write it: `3`, `2.0`, `#1`, '' for a step's one task), `index` (its innermost
    foreach position, None outside a foreach), `retry_count` (0 on the first attempt),
    `origin_run_id` (the run a resume took tasks from, else None), `store` (the run's store, an
    absolute path), `pathspec` (`FLOW/RUN/STEP/TASK`), `is_running_flow`."""

    __slots__ = ()

    @property
    def is_running_flow(self):
        return _task is not None

    @property
    def flow_name(self):
        return _field("flow")

    @property
    def run_id(self):
        return _field("run")

    @property
    def step_name(self):
        return _field("step")

    @property
    def task_id(self):
        return _field("task")

    @property
    def index(self):
        return _field("index")

    @property
    def retry_count(self):
        attempt = _field("attempt")
        return None if attempt is None else attempt - 1

    @property
    def origin_run_id(self):
        return _field("origin_run")

    @property
    def store(self):
        return _field("store")

    @property
    def pathspec(self):
        if _task is None:
            return None
        parts = [_task["flow"], _task["run"], _task["step"]] + ([_task["task"]] if _task["task"] else [])
        return "/".join(str(part) for part in parts)

    def __repr__(self):
        if _task is None:
            return "<current: not in a running step>"
        return f"<current: {self.pathspec}, attempt {_task['attempt']}>"


current = Current()


def _field(name):
    return None if _task is None else _task[name]


def serial():
    """Which task this process is in (0 before the first): the client keeps `namespace()` per task."""
    return _serial


@contextlib.contextmanager
def running(request):
    """`current` filled from a task request for the block. The task's label is the part of
    `task` (`per_genre/3`) after the step's name."""
    global _task, _serial
    step, name = request["step"], request.get("task", "")
    label = name[len(step) + 1:] if name.startswith(step + "/") else ""
    _serial += 1
    _task = {"flow": request.get("flow"), "run": request.get("run"), "step": step, "task": label,
             "index": request.get("index"), "attempt": request.get("attempt", 1),
             "origin_run": request.get("origin_run"), "store": request["store"]}
    try:
        yield
    finally:
        _task = None
        _serial += 1
