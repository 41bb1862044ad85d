"""Read flowspec results from a store (SPEC section 7), read-only and with the standard library
alone:

    from flowspec import Flow
    run = Flow("MovieStats").latest_run
    run.data.table
    [t.data.stats for t in run["per_genre"]]
"""
from ._model import Artifact, Attempt, Data, Flow, Params, Run, Step, Task, flows
from ._store import (ArtifactLoadError, FlowspecError, NotFoundError, Store, StoreFormatError,
                     StoreNotFoundError)

__all__ = ["Artifact", "ArtifactLoadError", "Attempt", "Data", "Flow", "FlowspecError",
           "NotFoundError", "Params", "Run", "Step", "Store", "StoreFormatError",
           "StoreNotFoundError", "Task", "flows"]
