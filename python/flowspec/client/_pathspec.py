"""Objects from pathspecs, as in Metaflow: `FLOW/RUN` for a Run, `FLOW/RUN/STEP` for a Step,
`FLOW/RUN/STEP/TASK` for a Task, TASK being its label (`3`, `2.0`, `#1`). A step's one task
(outside any foreach and loop) has the label '', so `FLOW/RUN/STEP` and `FLOW/RUN/STEP/` name it
too. RUN is an id, a unique prefix of one, or `latest`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Union

from ._store import InvalidPathspecError

if TYPE_CHECKING:
    from ._run import Run
    from ._step import Step
    from ._task import Task

_PARTS = {"run": 2, "step": 3, "task": 4}
_EXAMPLES = {"run": "MovieStats/20261121-233541-186b", "step": "MovieStats/20261121-233541-186b/per_genre",
             "task": "MovieStats/20261121-233541-186b/per_genre/3"}


def resolve(pathspec: str, store, kind: str, namespace_check: bool) -> Union[Run, Step, Task]:
    from ._flow import Flow
    parts = _split(pathspec, kind)
    flow = Flow(parts[0], store=store, _namespace_check=False)
    run = flow.run(parts[1]) if namespace_check else flow._resolve(parts[1])
    if kind == "run":
        return run
    step = run[parts[2]]
    if kind == "step":
        return step
    return step.task_at(parts[3] if len(parts) == 4 else "")


def _split(pathspec: str, kind: str) -> list[str]:
    if not isinstance(pathspec, str):
        raise TypeError(f"a {kind} pathspec is a str like {_EXAMPLES[kind]!r}, not {type(pathspec).__name__}")
    parts = pathspec.split("/")
    wanted = _PARTS[kind]
    fits = len(parts) == wanted or (kind == "task" and len(parts) == 3)
    if not fits or any(not part for part in parts[:3]):
        raise InvalidPathspecError(f"{pathspec!r} is not a {kind} pathspec: write "
                            f"{'/'.join(['FLOW', 'RUN', 'STEP', 'TASK'][:wanted])} ({_EXAMPLES[kind]!r})")
    return parts
