"""Step functions of the translations of Metaflow's test graphs: only what drives the graph
(the lists fanned out over, the values switched on, loop counters); every other step runs no code."""


def values(of):
    """A list to fan out over: the items of `of` (a list written in the spec)."""
    return list(of)


def zero():
    return 0


def loop(passes, limit):
    """One pass of a loop: (passes, whether to go round again)."""
    passes += 1
    return passes, passes < int(limit)


def loop_status(passes, limit):
    """One pass of a loop: (passes, "continue" or "exit")."""
    passes += 1
    return passes, "continue" if passes < int(limit) else "exit"


def kind_of(item):
    return item
