"""Step functions of linear.yaml, the same work as the Metaflow baseline's linear.py."""


def start():
    return 1


def increment(x):
    return x + 1


def check(x):
    assert x == 3, x
    print("linear ok x=%d" % x)
