"""Step functions of the routing shapes: switches and loops inside branches and foreaches.

Every step adds its label to a `trail`, so what the end step sees tells which way the run went:
which switch case, how many loop passes, which branches and items.
"""


def begin(label="start"):
    """The first trail."""
    return [label]


def visit(trail, label):
    """The trail with one more step on it."""
    return trail + [label]


def numbers(n):
    """The items of a fan-out: 1 .. n."""
    return list(range(1, int(n) + 1))


def parity(item):
    """Which case an item takes: (a trail of its own, "odd" or "even")."""
    kind = "odd" if item % 2 else "even"
    return [f"item {item}"], kind


def count(trail, label, limit, passes=0):
    """One pass of a loop: (trail, passes, status), status "again" until `limit` passes."""
    passes += 1
    return trail + [f"{label}{passes}"], passes, "again" if passes < int(limit) else "done"


def restart():
    """A loop counter set back before a loop is entered."""
    return 0


def gather(inputs):
    """A join: the trails that reached it, in branch or item order."""
    return [branch.trail for branch in inputs]


def pair(inputs):
    """A join of branches ending at `left` and `right`, read by the step names, as in Metaflow."""
    return [inputs.left.trail, inputs.right.trail]


def finish(trail):
    print(" > ".join(str(part) for part in trail))
    return len(trail)
