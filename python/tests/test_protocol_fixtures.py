"""The example messages of specs/worker-protocol/, which the Swift tests also read: the worker
answers each example request with a response of the shape of the example response of the same
name (the same members, each of the same JSON type; values such as blob hashes may differ)."""
import json
import pathlib

import pytest

from flowspec._runtime.handler import handle

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "specs" / "worker-protocol"
REQUESTS = sorted(path.stem for path in (FIXTURES / "requests").glob("*.json"))


def _read(direction, name):
    return json.loads((FIXTURES / direction / f"{name}.json").read_text())


def _shape(value):
    """The value with every scalar replaced by its JSON type's name; a list by its items' shapes."""
    if isinstance(value, dict):
        return {key: _shape(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def _localized(request, tmp_path):
    """The request with its store, and a dump's file, in `tmp_path` (the examples say `/abs`)."""
    if "store" in request:
        request["store"] = str(tmp_path / "store")
    if request["kind"] == "dump":
        request["path"] = str(tmp_path / pathlib.Path(request["path"]).name)
    return request


def test_every_request_but_exit_has_an_example_response():
    responses = {path.stem for path in (FIXTURES / "responses").glob("*.json")}
    assert set(REQUESTS) - {"exit"} <= responses and "exit" not in responses
    assert {"put", "length", "match", "task", "check", "repr", "dump", "preview", "exit"} == {
        _read("requests", name)["kind"] for name in REQUESTS}


@pytest.mark.parametrize("name", [name for name in REQUESTS if name != "exit"])
def test_the_worker_answers_each_example_request_in_its_example_shape(name, tmp_path):
    request = _localized(_read("requests", name), tmp_path)
    response = json.loads(handle(json.dumps(request)))
    expected = _read("responses", name)
    assert _shape(response) == _shape(expected)
    assert (response["id"], response["status"]) == (expected["id"], expected["status"])
    if "error" in expected:
        assert response["error"]["kind"] == expected["error"]["kind"]


def test_exit_has_no_response():
    assert handle(json.dumps(_read("requests", "exit"))) == ""
