"""Read flowspec results from a store (docs/spec.md sections 7 and 10), read-only and with the
standard library alone, under Metaflow's names:

    from flowspec import Flow, namespace
    run = Flow("MovieStats").latest_successful_run
    run.data.table
    [t.data.stats for t in run["per_genre"]]
"""
from ._data import Artifact, Data, Params
from ._flow import Flow, Metaflow, flows
from ._namespace import default_namespace, get_namespace, namespace
from ._run import Code, Run
from ._step import Step
from ._store import (ArtifactLoadError, FlowspecError, InvalidPathspecError, NamespaceMismatchError,
                     NotFoundError, Store, StoreFormatError, StoreNotFoundError)
from ._task import Attempt, Task, TaskException

__all__ = ["Artifact", "ArtifactLoadError", "Attempt", "Code", "Data", "Flow", "FlowspecError",
           "InvalidPathspecError", "Metaflow", "NamespaceMismatchError", "NotFoundError", "Params",
           "Run", "Step", "Store", "StoreFormatError", "StoreNotFoundError", "Task", "TaskException",
           "default_namespace", "flows", "get_namespace", "namespace"]
