"""flowspec's Python side: the read-only client over a store (`from flowspec import Flow`, with
Metaflow's names), `current` inside a running step, `run`, `lint` and `step` through the `flowspec`
command, and the helpers that run inside a worker (`_runtime`)."""
import importlib

# Type checkers take any name TYPE_CHECKING as true; not importing `typing` keeps a worker's start,
# which imports this package, as quick as it was.
TYPE_CHECKING = False
if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first use (below)
    from ._command import CommandNotFoundError, Finding, RunFailedError, StepFailedError, lint, run, step
    from ._runtime.context import current
    from .client import (Artifact, ArtifactLoadError, Attempt, Code, Data, Flow, FlowspecError,
                         InvalidPathspecError, Metaflow, NamespaceMismatchError, NotFoundError, Params,
                         Run, Step, Store, StoreFormatError, StoreNotFoundError, Task, TaskException,
                         default_namespace, flows, get_namespace, namespace)

# Each part loads on first use, so a worker importing `flowspec._runtime` pays nothing for them.
_PARTS = {"current": "._runtime.context", "run": "._command", "lint": "._command", "step": "._command",
          "Finding": "._command", "RunFailedError": "._command", "StepFailedError": "._command",
          "CommandNotFoundError": "._command"}


def __getattr__(name):
    if name == "client":
        return importlib.import_module(__name__ + ".client")
    if name in _PARTS:
        return getattr(importlib.import_module(_PARTS[name], __name__), name)
    client = importlib.import_module(__name__ + ".client")
    if name in client.__all__:
        return getattr(client, name)
    raise AttributeError(f"module 'flowspec' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | {"client"})


__all__ = ["Artifact", "ArtifactLoadError", "Attempt", "Code", "CommandNotFoundError", "Data", "Finding",
           "Flow", "FlowspecError", "InvalidPathspecError", "Metaflow", "NamespaceMismatchError",
           "NotFoundError", "Params", "Run", "RunFailedError", "Step", "StepFailedError", "Store", "StoreFormatError",
           "StoreNotFoundError", "Task", "TaskException", "current", "default_namespace", "flows",
           "get_namespace", "lint", "namespace", "run", "step"]
