"""The gc benchmark's flow: small values that differ from run to run (by seed)."""


def items(N, seed):
    return [(seed, i) for i in range(N)]


def work(x):
    seed, i = x
    return f"run {seed}, item {i}"


def join(ys):
    return len(ys)
