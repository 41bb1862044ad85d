"""Values of every kind the UI previews, and text meant to break a page that forgets to escape."""
import struct
import sys
import zlib

HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 1\">'\"&"


def frame():
    import pandas
    return pandas.DataFrame({
        "title": [f"movie {i}" for i in range(40)] + [HOSTILE],
        "rating": [round(5 + i * 0.1, 1) for i in range(41)],
    })


def array():
    import numpy
    values = numpy.linspace(0.0, 10.0, 1001)
    values[3] = numpy.nan
    return values


def figure():
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4, 3))
    fig.add_subplot().plot([1, 3, 2, 4])
    return fig


def png():
    """A 16×16 red square, as PNG bytes made by hand."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def svg():
    return (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><script>window.__pwned = 1</script>'
            b'<circle cx="20" cy="20" r="18" fill="green"/></svg>')


def values():
    print("printing " + HOSTILE)
    print("x" * 100_000)
    print("warning: " + HOSTILE, file=sys.stderr)
    mapping = {"model": {"name": "ridge", "alpha": 0.5, HOSTILE: [1, 2]}, "scores": [0.9, 0.8]}
    return frame(), array(), figure(), png(), svg(), mapping, HOSTILE


def each(item):
    if item == 2:
        raise ValueError("bad item " + HOSTILE)
    return item


def wait_for(path):
    """Runs until `path` exists: the run stays `running` for as long as a test needs."""
    import os
    import time
    deadline = time.monotonic() + 120
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return path
