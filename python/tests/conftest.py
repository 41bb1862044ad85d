import json
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from flowspec._runtime import blobs  # noqa: E402
from flowspec._runtime.handler import handle  # noqa: E402


class Worker:
    """Sends requests to `handle` as JSON, the way the Swift worker does."""

    def __init__(self, store):
        self.store = str(store)
        self.next_id = 0

    def send(self, kind, **fields):
        self.next_id += 1
        request = {"kind": kind, "id": self.next_id, "store": self.store, **fields}
        response = json.loads(handle(json.dumps(request)))
        assert response["id"] == self.next_id
        return response

    def put(self, **values):
        response = self.send("put", values={name: {"json": value} for name, value in values.items()})
        assert response["status"] == "ok", response
        return {name: {"blob": record["blob"]} for name, record in response["outputs"].items()}

    def blob(self, value):
        return {"blob": blobs.write_value(self.store, "value", value)[0]}

    def task(self, source, name, bound=None, available=None, outputs=None, step="s", **fields):
        function = {"kind": "file", "source": str(source), "name": name}
        return self.send("task", step=step, task=f"{step}[0]", function=function,
                         path=fields.pop("path", []), env=fields.pop("env", {}),
                         bound=bound or {}, available=available or {},
                         outputs=outputs or {"kind": "single", "names": ["out"]}, **fields)

    def value(self, record):
        return blobs.read_value(self.store, record["blob"])


@pytest.fixture
def worker(tmp_path):
    return Worker(tmp_path / "store")


@pytest.fixture
def steps(tmp_path):
    """Writes a steps file with the given source and returns its path."""
    counter = iter(range(1000))

    def write(source):
        path = tmp_path / f"steps_{next(counter)}.py"
        path.write_text(source)
        return path
    return write


@pytest.fixture(autouse=True)
def namespace_chosen_afresh():
    """Each test starts in the default namespace, whatever the last one chose."""
    from flowspec.client import _namespace
    _namespace._chosen.update(namespace=_namespace._UNSET, serial=None)
    yield
    _namespace._chosen.update(namespace=_namespace._UNSET, serial=None)
