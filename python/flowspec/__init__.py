"""flowspec's Python side: helpers that run inside a worker (`_runtime`), and the read-only
client over a store (`flowspec.client`): `from flowspec import Flow`."""


import importlib


def __getattr__(name):
    # The client loads on first use, so a worker importing `flowspec._runtime` pays nothing for it.
    if name == "client":
        return importlib.import_module(__name__ + ".client")
    client = importlib.import_module(__name__ + ".client")
    if name in client.__all__:
        return getattr(client, name)
    raise AttributeError(f"module 'flowspec' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | {"client"})


__all__ = ["Artifact", "ArtifactLoadError", "Attempt", "Data", "Flow", "FlowspecError",
           "NotFoundError", "Params", "Run", "Step", "Store", "StoreFormatError",
           "StoreNotFoundError", "Task", "flows"]
