"""Failures of a request, with the protocol's kinds, and the user's traceback without our frames."""
import os
import traceback

from .names import shown_module, with_shown_modules

KINDS = ("exception", "import", "binding", "outputs", "pickle", "foreach", "store")

# Frames from files in this folder are flowspec's own; embedded copies share the folder name.
_OWN_FOLDER = os.path.dirname(__file__)


class Failure(Exception):
    """A request that failed for a reason the protocol names; `cause` keeps the user's exception."""

    def __init__(self, kind, message, cause=None):
        assert kind in KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.cause = cause


def too_deep(error):
    """Why Python's parser gave up on code it could not hold (a 200,000-term expression)."""
    return (f"the code is nested too deeply or is too long for Python's parser "
            f"({type(error).__name__}: {error}); split the expression into smaller statements")


def type_name(value_or_type):
    """`builtins.dict`, `numpy.ndarray`, `model.Model` (a class of `model.py` or `model.ipynb`):
    the module-qualified name of a value's type, as users know it."""
    t = value_or_type if isinstance(value_or_type, type) else type(value_or_type)
    return f"{shown_module(t.__module__)}.{t.__qualname__}"


def _is_own(frame_summary_or_tb):
    filename = frame_summary_or_tb.tb_frame.f_code.co_filename
    return os.path.dirname(filename) == _OWN_FOLDER


def user_traceback(error):
    """The formatted traceback of `error`, starting at the first frame that is not flowspec's."""
    tb = error.__traceback__
    while tb is not None and _is_own(tb):
        tb = tb.tb_next
    return with_shown_modules("".join(traceback.format_exception(type(error), error, tb)))


def error_record(failure):
    """The `error` object of a failed response."""
    cause = failure.cause
    if cause is not None:
        return {"kind": failure.kind, "type": type_name(cause), "message": failure.message,
                "traceback": user_traceback(cause)}
    return {"kind": failure.kind, "type": "flowspec." + failure.kind.capitalize() + "Error",
            "message": failure.message, "traceback": ""}
