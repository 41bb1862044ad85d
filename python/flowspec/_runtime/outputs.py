"""Turning a step's return value into named artifacts: `single`, `unpacked`, `mapping`, `default`."""
from collections.abc import Mapping

from .failures import Failure


def split(step, outputs, value):
    """{artifact name: value} for the `outputs` of a request; a mismatch is an `outputs` failure."""
    kind, names = outputs["kind"], outputs.get("names", [])
    if kind == "single":
        return {names[0]: value}
    if kind == "default":
        return {} if value is None else {names[0]: value}
    if kind == "unpacked":
        return _unpacked(step, names, value)
    if kind == "mapping":
        return _mapping(step, value)
    raise Failure("outputs", f"unknown outputs kind '{kind}'")


def _describe(value):
    kind = type(value).__name__
    try:
        return f"a {kind} of {len(value)} item{'' if len(value) == 1 else 's'}"
    except TypeError:
        return f"a value of type {kind}"


def _unpacked(step, names, value):
    expected = f"step '{step}' declares outputs [{', '.join(names)}]: expected a sequence of " \
               f"{len(names)} items"
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not hasattr(value, "__len__") \
            or not hasattr(value, "__getitem__"):
        raise Failure("outputs", f"{expected}, but the function returned {_describe(value)}")
    if len(value) != len(names):
        raise Failure("outputs", f"{expected}, but the function returned {_describe(value)}")
    return {name: value[i] for i, name in enumerate(names)}


def _mapping(step, value):
    expected = f"step '{step}' declares outputs \"*\": expected a mapping with identifier keys"
    if not isinstance(value, Mapping):
        raise Failure("outputs", f"{expected}, but the function returned {_describe(value)}")
    bad = [key for key in value if not (isinstance(key, str) and key.isidentifier())]
    if bad:
        listed = ", ".join(repr(key) for key in bad[:5])
        raise Failure("outputs", f"{expected}, but these keys are not identifiers: {listed}")
    return dict(value)
