"""Step functions of the flow benchmark's specs: the same work as the Metaflow baseline's flows
(bench/metaflow/*.py)."""

import math
import os


# the start-up scenario (bench/peers/startup.yaml): one step that does nothing
def noop():
    return None


# linear.yaml, resume.yaml: start -> a -> b -> end, a small int artifact
def start():
    return 1


def increment(x):
    return x + 1


def check(x):
    assert x == 3, x
    print("linear ok x=%d" % x)


def check_or_fail(x):
    if os.environ.get("BENCH_FAIL_END") == "1":
        raise RuntimeError("forced failure in end (BENCH_FAIL_END=1)")
    assert x == 3, x
    print("resume ok x=%d" % x)


# foreach.yaml: start -> foreach(work) over range(N) -> join (sum) -> end
def items(N):
    return list(range(N))


def work(x):
    return x * 2


def join(ys):
    return sum(ys)


def check_total(total, N):
    expected = sum(range(N)) * 2
    assert total == expected, (total, expected)
    print("foreach ok N=%d total=%d" % (N, total))


# bigartifact.yaml: a 50M-element float64 array (400 MB) as an artifact, summed in the next step
def make_array(fill):
    import numpy as np

    n = 50_000_000
    if fill == "ones":
        arr = np.ones(n, dtype=np.float64)
    else:
        arr = np.random.default_rng(0).random(n, dtype=np.float64)
    return arr, float(arr.sum())


def reduce(arr):
    return float(arr.sum())


def check_sum(total, expected, fill):
    # Not ==: numpy's pairwise float sum depends on the buffer's memory alignment, so the same
    # bytes read back into a differently aligned buffer can sum a few ulps apart.
    assert math.isclose(total, expected, rel_tol=1e-12), (total, expected)
    print("bigartifact ok fill=%s total=%r" % (fill, total))
