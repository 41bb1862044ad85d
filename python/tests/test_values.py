import pickle
import types

from flowspec._runtime import reprs


def test_repr_is_the_whole_value(worker):
    refs = worker.put(rows=list(range(500)))
    response = worker.send("repr", value=refs["rows"])
    assert response["status"] == "ok", response
    assert response["repr"] == repr(list(range(500)))
    assert len(response["repr"]) > 200


def test_repr_follows_a_path(worker):
    refs = worker.put(table={"genres": ["a", "b"]})
    response = worker.send("repr", value={**refs["table"], "path": [["key", "genres"], ["index", 1]]})
    assert response["repr"] == "'b'"


def test_a_repr_that_raises_is_an_exception_failure(worker, tmp_path, monkeypatch):
    (tmp_path / "broken_repr.py").write_text(
        "class Broken:\n    def __repr__(self):\n        raise RuntimeError('no repr today')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import broken_repr
    response = worker.send("repr", value=worker.blob(broken_repr.Broken()))
    assert response["status"] == "failed"
    error = response["error"]
    assert error["kind"] == "exception" and error["type"] == "builtins.RuntimeError"
    assert "broken_repr.Broken" in error["message"] and "no repr today" in error["message"]


def test_a_namespace_dumps_as_a_simple_namespace(worker, tmp_path):
    ref = worker.blob(types.SimpleNamespace(x=1))
    assert worker.send("repr", value=ref)["repr"] == "namespace(x=1)"
    target = tmp_path / "ns.pkl"
    assert worker.send("dump", value=ref, path=str(target))["status"] == "ok"
    assert pickle.loads(target.read_bytes()) == types.SimpleNamespace(x=1)


def test_dump_writes_a_plain_pickle(worker, tmp_path):
    value = {"rows": list(range(10)), "raw": bytearray(b"\x00" * 1000), "name": "x"}
    ref = worker.blob(value)
    target = tmp_path / "out" / "value.pkl"
    target.parent.mkdir()
    response = worker.send("dump", value=ref, path=str(target))
    assert response["status"] == "ok", response
    with open(target, "rb") as file:
        assert pickle.load(file) == value
    assert [p.name for p in target.parent.iterdir()] == ["value.pkl"], "no temporary file left behind"


def test_dump_replaces_an_existing_file(worker, tmp_path):
    target = tmp_path / "value.pkl"
    target.write_bytes(b"old")
    assert worker.send("dump", value=worker.blob([1, 2]), path=str(target))["status"] == "ok"
    assert pickle.loads(target.read_bytes()) == [1, 2]


def test_dump_into_a_missing_folder_is_a_store_failure(worker, tmp_path):
    response = worker.send("dump", value=worker.blob(1), path=str(tmp_path / "nope" / "v.pkl"))
    assert response["status"] == "failed"
    assert response["error"]["kind"] == "store" and "nope" in response["error"]["message"]


def test_a_missing_blob_is_a_failure(worker):
    response = worker.send("repr", value={"blob": "0" * 64})
    assert response["status"] == "failed"


def test_a_stored_repr_keeps_a_dicts_key_order():
    assert reprs.short({"z": 1, "a": {"y": 2.0, "b": [3]}}) == "{'z': 1, 'a': {'y': 2.0, 'b': [3]}}"
    assert reprs.short(dict.fromkeys("zyxwv", 0)) == "{'z': 0, 'y': 0, 'x': 0, 'w': 0, ...}"
    assert reprs.short({}) == "{}" and reprs.short([[[[[[[{"a": 1}]]]]]]]) == "[[[[[[[...]]]]]]]"


def test_a_stored_repr_is_cut_at_its_limit():
    text = reprs.short(["x" * 150, "y" * 150])
    assert len(text) == reprs.LIMIT and text.endswith("…")
