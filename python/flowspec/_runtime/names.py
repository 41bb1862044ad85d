"""The module a worker makes of a step's `.py` file or notebook, `_flowspec_<kind>_<stem>_<hash>`,
and the name users are shown for it: the file's stem (`model` for `model.py` or `model.ipynb`)."""
import os
import re

_CONTENT_MODULE = re.compile(r"_flowspec_(?:file|notebook)_(\w+)_[0-9a-f]{12}")
_LINE_STARTING_WITH_ONE = re.compile(r"^" + _CONTENT_MODULE.pattern + r"\.", re.MULTILINE)


def content_module_name(kind, path, hex_digest):
    """`_flowspec_<kind>_<stem>_<first 12 hex digits>`."""
    stem = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
    return f"_flowspec_{kind}_{stem}_{hex_digest[:12]}"


def file_stem(module):
    """`model` for the module of `model.py` or `model.ipynb`; None for any other module."""
    match = _CONTENT_MODULE.fullmatch(module or "")
    return match and match.group(1)


def shown_module(module):
    """The module as users know it: a step file's or notebook's stem, any other as it is."""
    return file_stem(module) or module


def with_shown_modules(text):
    """`text` with each line that starts with such a module (a traceback's exception line,
    `_flowspec_file_steps_<hash>.Offline: …`) starting with the file's stem instead."""
    return _LINE_STARTING_WITH_ONE.sub(r"\1.", text)
