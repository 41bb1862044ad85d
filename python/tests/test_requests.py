import os
import pathlib

import pytest

from flowspec._runtime import binding


def test_put_json_text_and_bytes(worker, tmp_path):
    text, raw = tmp_path / "data.csv", tmp_path / "x.bin"
    text.write_text("a,b\n1,2\n")
    raw.write_bytes(b"\x00\x01")
    response = worker.send("put", values={"top": {"json": 5}, "data": {"text_file": str(text)},
                                          "raw": {"bytes_file": str(raw)}})
    assert response["status"] == "ok"
    outputs = response["outputs"]
    assert worker.value(outputs["top"]) == 5
    assert worker.value(outputs["data"]) == "a,b\n1,2\n"
    assert worker.value(outputs["raw"]) == b"\x00\x01"
    assert outputs["top"]["type"] == "builtins.int" and outputs["top"]["repr"] == "5"
    assert outputs["raw"]["size"] == os.path.getsize(
        os.path.join(worker.store, "blobs", outputs["raw"]["blob"][:2], outputs["raw"]["blob"]))


def test_put_missing_file_is_a_store_failure(worker, tmp_path):
    response = worker.send("put", values={"data": {"text_file": str(tmp_path / "nope.csv")}})
    assert response["status"] == "failed"
    assert response["error"]["kind"] == "store" and "nope.csv" in response["error"]["message"]


def test_length_of_a_blob_with_a_path(worker):
    refs = worker.put(table={"genres": ["a", "b", "c"]})
    ref = {**refs["table"], "path": [["key", "genres"]]}
    assert worker.send("length", value=ref) == {"id": worker.next_id, "status": "ok", "length": 3}


def test_a_dict_fans_out_over_its_keys_stored_as_a_list(worker):
    refs = worker.put(table={"b": 1, "a": 2})
    response = worker.send("length", value=refs["table"])
    assert response["status"] == "ok" and response["length"] == 2
    assert response["items"]["type"] == "builtins.list" and response["items"]["repr"] == "['b', 'a']"


def test_a_string_or_a_set_is_refused_naming_what_to_return(worker):
    refs = worker.put(text="abc")
    response = worker.send("length", value=refs["text"])
    assert response["error"]["kind"] == "foreach" and "list(text)" in response["error"]["message"]


def test_length_of_a_value_without_len_is_a_foreach_failure(worker):
    response = worker.send("length", value={"literal": 12})
    assert response["status"] == "failed"
    assert response["error"]["kind"] == "foreach" and "builtins.int" in response["error"]["message"]


def test_match_finds_the_case_equal_to_the_value(worker):
    refs = worker.put(size="small", flag=True, count=1)
    assert worker.send("match", value=refs["size"], cases=[True, "large", "small"])["index"] == 2
    assert worker.send("match", value=refs["flag"], cases=[1, True])["index"] == 1
    assert worker.send("match", value=refs["count"], cases=[True, 1])["index"] == 1
    missing = worker.send("match", value=refs["size"], cases=["large"])
    assert missing["status"] == "ok" and "index" not in missing and missing["repr"] == "'small'"


def test_task_binds_by_name_with_and_paths(worker, steps):
    source = steps("class Box:\n    def __init__(self, items): self.items = items\n\n"
                   "def make(n):\n    return Box(list(range(n)))\n\n"
                   "def pick(first, movies, scale=10):\n    return first * scale + len(movies)\n")
    made = worker.task(source, "make", bound={"n": {"literal": 4}}, outputs={"kind": "single", "names": ["box"]})
    assert made["status"] == "ok", made
    box = {"blob": made["outputs"]["box"]["blob"]}
    response = worker.task(source, "pick",
                           bound={"first": {**box, "path": [["attr", "items"], ["index", 2]]}},
                           available={"movies": {"literal": [1, 2, 3]}, "item": {"literal": "x"}})
    assert response["status"] == "ok", response
    assert worker.value(response["outputs"]["out"]) == 23
    assert response["seconds"] >= 0


def test_task_lists_and_namespaces(worker, steps):
    source = steps("def combine(all_stats, inputs):\n"
                   "    return sum(all_stats), [b.stats for b in inputs], inputs[0]\n")
    refs = worker.put(a=1, b=2)
    response = worker.task(source, "combine",
                           bound={"all_stats": {"list": [refs["a"], refs["b"]]}},
                           available={"inputs": {"namespaces": [{"stats": refs["a"]}, {"stats": refs["b"]}]}},
                           outputs={"kind": "unpacked", "names": ["total", "each", "first"]})
    assert response["status"] == "ok", response
    assert worker.value(response["outputs"]["total"]) == 3
    assert worker.value(response["outputs"]["each"]) == [1, 2]
    assert worker.value(response["outputs"]["first"]).stats == 1


def test_namespaces_are_read_only(worker, steps):
    source = steps("def f(inputs):\n    inputs[0].x = 1\n")
    response = worker.task(source, "f", available={"inputs": {"namespaces": [{"x": {"literal": 0}}]}})
    assert response["error"]["kind"] == "exception" and "read-only" in response["error"]["message"]


def test_module_function_from_import_roots(worker, tmp_path):
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("class K:\n    @staticmethod\n    def twice(x):\n        return 2 * x\n")
    response = worker.send("task", step="s", task="s", function={"kind": "module", "source": "pkg.mod",
                                                                 "name": "K.twice"},
                           path=[str(tmp_path / "src")], env={}, bound={"x": {"literal": 21}},
                           available={}, outputs={"kind": "default", "names": ["s"]})
    assert response["status"] == "ok", response
    assert worker.value(response["outputs"]["s"]) == 42


def test_file_is_loaded_once_per_worker(worker, steps):
    source = steps("import itertools\ncount = itertools.count()\n\ndef f():\n    return next(count)\n")
    first = worker.task(source, "f")
    second = worker.task(source, "f")
    assert (worker.value(first["outputs"]["out"]), worker.value(second["outputs"]["out"])) == (0, 1)


def test_what_a_task_prints_by_any_route_reaches_fds_1_and_2_by_its_answer(worker, steps, monkeypatch, capfd):
    import logging
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as in a worker: pytest adds its own
    source = steps("import logging, os, subprocess, sys\n\ndef f():\n    print('to out')\n"
                   "    os.write(1, b'by os.write\\n')\n"
                   "    subprocess.run(['sh', '-c', 'echo from a subprocess'], check=True)\n"
                   "    print('unfinished', end='')\n"
                   "    print('to err', file=sys.stderr)\n    logging.getLogger('x').warning('careful')\n")
    response = worker.task(source, "f", outputs={"kind": "default", "names": ["s"]})
    assert response["status"] == "ok", response
    assert response["outputs"] == {} and "stdout" not in response and "stderr" not in response
    printed = capfd.readouterr()
    assert printed.out == "to out\nby os.write\nfrom a subprocess\nunfinished"  # flushed before the answer
    assert "to err\n" in printed.err and "careful" in printed.err


def test_logging_configured_in_a_task_still_reaches_fd_2_in_later_ones(worker, steps, monkeypatch, capfd):
    import logging
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logging.getLogger(), "level", logging.WARNING)
    source = steps("import logging\n\ndef setup():\n    logging.basicConfig(level=logging.INFO, force=True)\n\n"
                   "def log():\n    logging.getLogger('y').info('hello')\n")
    worker.task(source, "setup", outputs={"kind": "default", "names": ["s"]})
    capfd.readouterr()
    worker.task(source, "log", outputs={"kind": "default", "names": ["s"]})
    assert "hello" in capfd.readouterr().err


def test_env_is_applied_and_restored(worker, steps):
    os.environ.pop("FLOWSPEC_TEST_VAR", None)
    source = steps("import os\n\ndef f():\n    return os.environ['FLOWSPEC_TEST_VAR']\n")
    response = worker.task(source, "f", env={"FLOWSPEC_TEST_VAR": "on"})
    assert worker.value(response["outputs"]["out"]) == "on"
    assert "FLOWSPEC_TEST_VAR" not in os.environ


def test_user_exception_has_the_users_traceback_only(worker, steps):
    source = steps("def helper():\n    raise ValueError('bad genre')\n\ndef f():\n    helper()\n")
    response = worker.task(source, "f")
    error = response["error"]
    assert response["status"] == "failed"
    assert (error["kind"], error["type"], error["message"]) == ("exception", "builtins.ValueError",
                                                                "bad genre")
    tb = error["traceback"]
    assert tb.startswith("Traceback (most recent call last):\n")
    assert "in f\n" in tb and "in helper\n" in tb and tb.endswith("ValueError: bad genre\n")
    assert "_runtime" not in tb


def test_system_exit_in_a_task_fails_the_task(worker, steps):
    response = worker.task(steps("import sys\n\ndef f():\n    sys.exit(4)\n"), "f")
    assert response["error"]["kind"] == "exception" and response["error"]["type"] == "builtins.SystemExit"


def test_binding_failure_names_step_function_parameter_and_visible_names(worker, steps):
    source = steps("def stats(movies, genre, top=3):\n    pass\n")
    response = worker.task(source, "stats", step="per_genre",
                           available={"movies": {"literal": []}, "item": {"literal": "x"}})
    error = response["error"]
    assert error["kind"] == "binding"
    message = error["message"]
    assert "'per_genre'" in message and "stats" in message and "'genre'" in message
    assert "item, movies" in message


def test_binding_an_unknown_parameter_is_a_binding_failure(worker, steps):
    response = worker.task(steps("def f(a):\n    pass\n"), "f", bound={"b": {"literal": 1}},
                           available={"a": {"literal": 1}})
    assert response["error"]["kind"] == "binding"
    assert "no parameter 'b'" in response["error"]["message"] and "a" in response["error"]["message"]


def test_args_and_kwargs_are_never_bound_implicitly(worker, steps):
    source = steps("def f(*args, **kwargs):\n    return [args, kwargs]\n")
    response = worker.task(source, "f", available={"args": {"literal": 1}, "kwargs": {"literal": 2}})
    assert worker.value(response["outputs"]["out"]) == [(), {}]


@pytest.mark.parametrize("outputs, returned, expected", [
    ({"kind": "unpacked", "names": ["a", "b"]}, "[1, 2, 3]", "expected a sequence of 2 items, but the function returned a list of 3 items"),
    ({"kind": "unpacked", "names": ["a", "b"]}, "5", "expected a sequence of 2 items, but the function returned a value of type int"),
    ({"kind": "mapping", "names": ["*"]}, "[1]", "expected a mapping with identifier keys, but the function returned a list of 1 item"),
    ({"kind": "mapping", "names": ["*"]}, "{'not valid': 1}", "these keys are not identifiers: 'not valid'"),
])
def test_outputs_mismatch_says_what_was_expected_and_what_came_back(worker, steps, outputs, returned, expected):
    response = worker.task(steps(f"def f():\n    return {returned}\n"), "f", outputs=outputs, step="start")
    assert response["error"]["kind"] == "outputs"
    assert "step 'start'" in response["error"]["message"] and expected in response["error"]["message"]


def test_mapping_outputs_store_each_key(worker, steps):
    response = worker.task(steps("def f():\n    return {'a': 1, 'b': 'two'}\n"), "f",
                           outputs={"kind": "mapping", "names": ["*"]})
    assert {name: worker.value(record) for name, record in response["outputs"].items()} == {"a": 1, "b": "two"}


def test_unpicklable_output_names_artifact_and_type(worker, steps):
    response = worker.task(steps("import threading\n\ndef f():\n    return threading.Lock()\n"), "f",
                           outputs={"kind": "single", "names": ["lock"]})
    assert response["error"]["kind"] == "pickle"
    assert "'lock'" in response["error"]["message"] and "_thread.lock" in response["error"]["message"]


def test_long_repr_is_cut_to_200_characters(worker, steps):
    response = worker.task(steps("def f():\n    return list(range(10000))\n"), "f")
    assert len(response["outputs"]["out"]["repr"]) <= 200


@pytest.mark.parametrize("source, name, expected", [
    ("def f():\n    pass\n", "g", "has no function 'g'; it defines: f"),
    ("raise RuntimeError('at import')\n", "f", "RuntimeError: at import"),
])
def test_import_failures(worker, steps, source, name, expected):
    response = worker.task(steps(source), name)
    assert response["error"]["kind"] == "import" and expected in response["error"]["message"]


def test_missing_module_and_notebook_are_import_failures(worker):
    response = worker.send("task", step="s", task="s", function={"kind": "module", "source": "no_such_mod", "name": "f"},
                           path=[], env={}, bound={}, available={}, outputs={"kind": "default", "names": ["s"]})
    assert response["error"]["kind"] == "import" and "no_such_mod" in response["error"]["message"]
    response = worker.send("task", step="s", task="s", function={"kind": "notebook", "source": "/a/n.ipynb", "name": "f"},
                           path=[], env={}, bound={}, available={}, outputs={"kind": "default", "names": ["s"]})
    assert response["error"]["kind"] == "import" and "no such file" in response["error"]["message"]


def test_a_corrupt_argument_names_the_parameter(worker, steps, tmp_path):
    refs = worker.put(rows=[1, 2, 3])
    digest = refs["rows"]["blob"]
    path = pathlib.Path(worker.store) / "blobs" / digest[:2] / digest
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    source = steps("def count(rows):\n    return len(rows)\n")
    response = worker.task(source, "count", available={"rows": refs["rows"]})
    assert response["error"]["kind"] == "store"
    assert response["error"]["message"].startswith("cannot read 'rows': ") and "corrupt" in response["error"]["message"]


def test_missing_blob_in_a_task_is_a_store_failure(worker, steps):
    response = worker.task(steps("def f(x):\n    return x\n"), "f", bound={"x": {"blob": "cd" * 32}})
    assert response["error"]["kind"] == "store" and "cd" * 32 in response["error"]["message"]


def test_numpy_in_a_task(worker, steps):
    pytest.importorskip("numpy")
    source = steps("import numpy as np\n\ndef make():\n    return np.ones((3, 4))\n\n"
                   "def total(a):\n    a += 1\n    return float(a.sum())\n")
    made = worker.task(source, "make", outputs={"kind": "single", "names": ["a"]})
    assert made["outputs"]["a"]["type"] == "numpy.ndarray"
    response = worker.task(source, "total", bound={"a": {"blob": made["outputs"]["a"]["blob"]}})
    assert worker.value(response["outputs"]["out"]) == 24.0


def test_exit_has_no_response():
    from flowspec._runtime.handler import handle
    assert handle('{"kind": "exit", "id": 9}') == ""


@pytest.mark.parametrize("source", [
    "def f(a, b=1, /, c=2, *args, d, e=3, **kw): pass",
    "def f(x, y): pass",
    "def f(*, k, j=1): pass",
    "def f(*values): pass",
    "def f(**options): pass",
    "def f(): pass",
    "f = lambda a, b=2: None",
])
def test_parameters_read_off_the_code_match_inspect(source):
    namespace = {}
    exec(source, namespace)
    function = namespace["f"]
    plain = binding._plain_parameters(function)
    inspected = binding._inspected_parameters(function)
    assert plain == inspected and list(plain) == list(inspected)


def test_decorated_and_non_function_callables_go_through_inspect():
    import functools

    def inner(a, b):
        pass

    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        pass

    assert binding._plain_parameters(wrapper) is None
    assert list(binding._parameters(wrapper)) == ["a", "b"]
    assert binding._plain_parameters(functools.partial(inner, 1)) is None
    assert list(binding._parameters(functools.partial(inner, 1))) == ["b"]
