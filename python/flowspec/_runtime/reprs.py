"""The short repr kept with each stored value: reprlib's, with a dict's keys in their order."""
import itertools
import reprlib

LIMIT = 200


class _Repr(reprlib.Repr):
    """reprlib sorts a dict's keys; `repr()`, and the user, see them in insertion order. Binary
    values are cut before their repr is made, as strings are: the repr of 400 MB of bytes would
    be built whole and then cut."""

    repr_bytes = repr_bytearray = reprlib.Repr.repr_str

    def repr_dict(self, x, level):
        if not x or level <= 0:
            return super().repr_dict(x, level)
        pieces = [f"{self.repr1(key, level - 1)}: {self.repr1(x[key], level - 1)}"
                  for key in itertools.islice(x, self.maxdict)]
        return "{" + ", ".join(pieces + (["..."] if len(x) > self.maxdict else [])) + "}"


_REPR = _Repr()
_REPR.maxstring = _REPR.maxother = 160


def short(value):
    """`value`'s repr as reprlib shortens it (`[1, 2, 3, 4, 5, 6, ...]`), cut at LIMIT characters."""
    text = _REPR.repr(value)
    return text if len(text) <= LIMIT else text[:LIMIT - 1] + "…"
