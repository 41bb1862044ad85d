"""What a request prints, and `env` applied.

The worker's fds 1 and 2 are files the scheduler reads as they grow (worker-protocol.md), so
what user code prints by any route (print, logging, `os.write(1, …)`, a C extension, a
subprocess) is captured there. Here only Python's own buffers are kept short: sys.stdout is
line-buffered, so each line reaches the file as it is printed and survives a crash, and every
request ends with both streams flushed."""
import contextlib
import faulthandler
import os
import sys


def install():
    """Called once in a worker: line-buffered sys.stdout, and a crash's Python traceback on fd 2."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    faulthandler.enable()


def flush():
    """What Python still buffers of sys.stdout and sys.stderr, written out."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # closed or replaced by user code: nothing of ours to flush
            pass


@contextlib.contextmanager
def applied_env(env):
    """Sets `env` in os.environ for the block and restores every variable after it."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
