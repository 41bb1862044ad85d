#!/usr/bin/env python3
"""The benchmark's flows on Prefect 3, every task's result persisted.

usage: prefect_flows.py startup | linear | foreach N | bigartifact

The step functions are bench/flows/steps.py's, each a Prefect task with `persist_result=True`
(stored under PREFECT_LOCAL_STORAGE_PATH, by default $PREFECT_HOME/storage). The foreach is
`task.map` on a ThreadPoolTaskRunner of 2 threads, 2 tasks at once as on every side. With
PREFECT_API_URL set the flow reports to that server; without it Prefect starts its ephemeral one.
"""

import sys

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

import steps  # bench/flows on PYTHONPATH

persisted = lambda fn: task(fn, persist_result=True)
noop, start, increment, check = map(persisted, (steps.noop, steps.start, steps.increment, steps.check))
items, work, join, check_total = map(persisted, (steps.items, steps.work, steps.join, steps.check_total))
make_array, reduce, check_sum = map(persisted, (steps.make_array, steps.reduce, steps.check_sum))
engine = lambda fn: flow(fn, persist_result=True, task_runner=ThreadPoolTaskRunner(max_workers=2))


@engine
def startup_flow():
    noop()


@engine
def linear_flow():
    x = start()
    for _ in ("a", "b"):
        x = increment(x)
    check(x)


@engine
def foreach_flow(n: int):
    ys = work.map(items(n)).result()
    check_total(join(ys), n)


@engine
def bigartifact_flow():
    arr, expected = make_array("random")
    check_sum(reduce(arr), expected, "random")


def main(args):
    if len(args) == 2 and args[0] == "foreach":
        foreach_flow(int(args[1]))
    elif args == ["startup"]:
        startup_flow()
    elif args == ["linear"]:
        linear_flow()
    elif args == ["bigartifact"]:
        bigartifact_flow()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
