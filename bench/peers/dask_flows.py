#!/usr/bin/env python3
"""The benchmark's flows on Dask distributed: a LocalCluster of 2 worker processes, 1 thread each.

usage: dask_flows.py startup | linear | foreach N | bigartifact

The step functions are bench/flows/steps.py's, run as Dask tasks; a value passes from one task to
the next as a future (it stays on the worker that made it), the foreach is `client.map` and
`client.gather`. Dask keeps every value in the workers' memory and stores nothing.
"""

import sys

from dask.distributed import Client, LocalCluster

import steps  # bench/flows on PYTHONPATH (the workers' too)


def linear(client):
    x = client.submit(steps.start)
    for _ in ("a", "b"):
        x = client.submit(steps.increment, x)
    client.submit(steps.check, x).result()


def foreach(client, n):
    xs = client.submit(steps.items, n).result()
    ys = client.gather(client.map(steps.work, xs))
    total = client.submit(steps.join, ys)
    client.submit(steps.check_total, total, n).result()


def reduce_pair(pair):
    return steps.reduce(pair[0])


def check_pair(total, pair):
    return steps.check_sum(total, pair[1], "random")


def bigartifact(client):
    pair = client.submit(steps.make_array, "random")  # (arr, expected), kept on its worker
    total = client.submit(reduce_pair, pair)
    client.submit(check_pair, total, pair).result()


def main(args):
    scenarios = {("startup",): lambda c: c.submit(steps.noop).result(), ("linear",): linear,
                 ("bigartifact",): bigartifact}
    if len(args) == 2 and args[0] == "foreach":
        run = lambda c: foreach(c, int(args[1]))
    elif tuple(args) in scenarios:
        run = scenarios[tuple(args)]
    else:
        sys.exit(__doc__)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        with Client(cluster) as client:
            run(client)


if __name__ == "__main__":
    main(sys.argv[1:])
