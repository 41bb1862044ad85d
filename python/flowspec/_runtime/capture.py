"""What one request prints: sys.stdout, sys.stderr and `logging` captured, and `env` applied."""
import contextlib
import io
import os
import sys


class _Stream(io.TextIOBase):
    """A text stream kept for the worker's life and emptied per request, so a logging handler
    created during one task still writes into the capture of later ones."""

    def __init__(self, name):
        self.name = name
        self._parts = []

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._parts.append(text)
        return len(text)

    def isatty(self):
        return False

    def take(self):
        text = "".join(self._parts)
        self._parts.clear()
        return text


_stdout = _Stream("<stdout>")
_stderr = _Stream("<stderr>")


@contextlib.contextmanager
def captured_output():
    """Yields a function that returns (stdout, stderr) written so far in the block."""
    _stdout.take(), _stderr.take()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _stdout, _stderr
    try:
        yield lambda: (_stdout.take(), _stderr.take())
    finally:
        sys.stdout, sys.stderr = saved


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
