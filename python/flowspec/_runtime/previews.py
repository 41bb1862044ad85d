"""`preview`: what `flowspec ui` and `flowspec report` show of a stored value beyond its repr.

The value is unpickled here, in a worker of its own environment (the server never unpickles),
and described as a small JSON document (specs/store-format.md, "Previews"): a data frame's first
rows, an array's shape, dtype and statistics, a matplotlib figure or PNG/SVG bytes as an image,
a mapping as a tree. Every part is bounded, so a preview stays small whatever the value.
"""
import base64
import sys

from . import reprs
from .failures import Failure, type_name
from .refs import Resolver

FORMAT = 1
ROWS, COLUMNS, CELL = 20, 20, 120
ENTRIES, DEPTH = 40, 3
IMAGE_BYTES = 4 << 20
SAMPLE = 400
_PNG = b"\x89PNG\r\n\x1a\n"


def answer(request):
    value = Resolver(request["store"]).resolve(request["value"])
    try:
        preview = make(value)
    except Exception as error:
        raise Failure("exception", f"cannot preview a '{type_name(value)}': {type(error).__name__}: {error}",
                      error) from None
    return {"preview": dict(preview, format=FORMAT)}


def make(value):
    """The preview document of `value` (without its `format`)."""
    for accepts, describe in _KINDS:
        if accepts(value):
            return describe(value)
    return {"kind": "none"}


def _instance(value, module, name):
    """Whether `value` is a `module.name`, checked only where that module is already imported
    (unpickling the value imported it): no preview imports pandas to find out."""
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None) if loaded else None
    return isinstance(kind, type) and isinstance(value, kind)


def _cell(value):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= CELL else text[:CELL - 1] + "…"


def _frame(frame):
    rows, columns = frame.shape
    shown = frame.iloc[:ROWS, :COLUMNS]
    table = {
        "columns": [_cell(column) for column in shown.columns],
        "dtypes": [str(dtype) for dtype in shown.dtypes],
        "index": [_cell(label) for label in shown.index],
        "rows": [[_cell(cell) for cell in row] for row in shown.itertuples(index=False, name=None)],
    }
    left = []
    if rows > ROWS:
        left.append(f"the first {ROWS} of {rows:,} rows")
    if columns > COLUMNS:
        left.append(f"the first {COLUMNS} of {columns:,} columns")
    return {"kind": "table", "summary": f"DataFrame: {rows:,} rows × {columns:,} columns", "table": table,
            "note": "showing " + " and ".join(left) if left else None}


def _series(series):
    preview = _frame(series.to_frame())
    preview["summary"] = f"Series: {len(series):,} values, dtype {series.dtype}"
    return preview


def _array(array):
    import numpy
    sample = numpy.array2string(array, threshold=24, edgeitems=3, max_line_width=100)
    return {"kind": "array", "summary": f"ndarray: shape {tuple(array.shape)}, dtype {array.dtype}",
            "array": {"shape": list(array.shape), "dtype": str(array.dtype), "stats": _stats(array),
                      "sample": sample if len(sample) <= SAMPLE else sample[:SAMPLE - 1] + "…"}}


def _stats(array):
    """min, max, mean and std of a numeric array's finite values, then how many are NaN."""
    import numpy
    if not array.size or not (numpy.issubdtype(array.dtype, numpy.number) or array.dtype == numpy.bool_):
        return []
    values = array.astype(numpy.float64) if array.dtype == numpy.bool_ else array
    inexact = numpy.issubdtype(values.dtype, numpy.inexact)
    finite = values[numpy.isfinite(values)] if inexact else values
    stats = [{"name": name, "value": f"{function(finite):.6g}"}
             for name, function in (("min", numpy.min), ("max", numpy.max), ("mean", numpy.mean), ("std", numpy.std))
             if finite.size]
    if inexact:
        stats.append({"name": "nan", "value": f"{int(numpy.isnan(values).sum()):,}"})
    return stats


def _figure(figure):
    import io
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return _image(buffer.getvalue(), "image/png", "matplotlib figure")


def _image(data, mime, what):
    if len(data) > IMAGE_BYTES:
        return {"kind": "none", "note": f"{what} of {len(data):,} bytes: too large to preview"}
    return {"kind": "image", "summary": f"{what}, {len(data):,} bytes",
            "image": {"mime": mime, "base64": base64.b64encode(data).decode("ascii")}}


def _is_svg(value):
    if isinstance(value, str):
        value = value[:4096].encode("utf-8", "replace")
    if not isinstance(value, (bytes, bytearray)):
        return False
    head = bytes(value[:4096]).lstrip()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def _svg(value):
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return _image(data, "image/svg+xml", "SVG")


def _tree(mapping, key="", depth=0):
    node = {"key": key, "type": type_name(mapping)}
    if depth >= DEPTH:
        return dict(node, repr=reprs.short(mapping))
    children = []
    for index, (name, value) in enumerate(mapping.items()):
        if index == ENTRIES:
            node["more"] = len(mapping) - ENTRIES
            break
        label = _cell(name)
        if isinstance(value, dict):
            children.append(_tree(value, label, depth + 1))
        else:
            children.append({"key": label, "type": type_name(value), "repr": reprs.short(value)})
    return dict(node, children=children)


def _mapping(mapping):
    count = len(mapping)
    return {"kind": "tree", "summary": f"{type_name(mapping)}: {count:,} entr{'y' if count == 1 else 'ies'}",
            "tree": _tree(mapping)}


_KINDS = [
    (lambda v: _instance(v, "pandas", "DataFrame"), _frame),
    (lambda v: _instance(v, "pandas", "Series"), _series),
    (lambda v: _instance(v, "numpy", "ndarray"), _array),
    (lambda v: _instance(v, "matplotlib.figure", "Figure"), _figure),
    (lambda v: isinstance(v, (bytes, bytearray)) and bytes(v[:8]) == _PNG,
     lambda v: _image(bytes(v), "image/png", "PNG")),
    (_is_svg, _svg),
    (lambda v: isinstance(v, dict), _mapping),
]
