"""Namespaces, as in Metaflow: a namespace is a tag, and the client sees only the runs that carry
it. The default is the current user's, `user:NAME`; `namespace(None)` sees every run.

Every run is tagged `user:NAME` for whoever started it: the store records the user in
`runs.user` (specs/store-format.md), and a run's system tags include that tag whether or not
its `tags` column holds it too. Inside a running step the namespace is kept per task, so a
step's `namespace(None)` is not seen by the next task its worker runs."""
from __future__ import annotations

import os
from typing import Iterable, Optional

from flowspec._runtime import context

SYSTEM_TAG_PREFIXES = ("user:", "flowspec_version:", "python_version:")

_UNSET = object()
_chosen = {"namespace": _UNSET, "serial": None}


def user_name() -> Optional[str]:
    """Who is reading: `$USER`, else `$LOGNAME`, the rule by which `flowspec run` records who
    ran a run; None when neither is set (such runs record no user either)."""
    for key in ("USER", "LOGNAME"):
        if os.environ.get(key):
            return os.environ[key]
    return None


def namespace(ns: Optional[str]) -> Optional[str]:
    """Sees only runs tagged `ns` from now on (`namespace("user:ana")`, `namespace("nightly")`);
    `namespace(None)` sees every run. Returns the namespace now in force."""
    if ns is not None and not isinstance(ns, str):
        raise TypeError(f"a namespace is a tag (str) or None, not {type(ns).__name__}")
    _chosen.update(namespace=ns, serial=context.serial())
    return ns


def get_namespace() -> Optional[str]:
    """The namespace in force: the last `namespace(…)`, else the default."""
    if _chosen["namespace"] is _UNSET or _chosen["serial"] != context.serial():
        return default_namespace()
    return _chosen["namespace"]


def default_namespace() -> Optional[str]:
    """Goes back to the current user's namespace, `user:NAME`, and returns it; None (every run)
    when neither `$USER` nor `$LOGNAME` is set, since runs started so record no user."""
    name = user_name()
    return namespace(None if name is None else f"user:{name}")


def run_tags(tags_json: Iterable[str], user: Optional[str]) -> tuple[frozenset, frozenset]:
    """A run's (system tags, user tags) from its `tags` column and its `user`."""
    system = {tag for tag in tags_json if tag.startswith(SYSTEM_TAG_PREFIXES)}
    if user:
        system.add(f"user:{user}")
    return frozenset(system), frozenset(tag for tag in tags_json if tag not in system)


def describe(ns: Optional[str]) -> str:
    return "every run (namespace None)" if ns is None else f"namespace {ns!r}"
