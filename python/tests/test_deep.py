import json

from flowspec._runtime import deep


def step(function, visible=(), bound=(), path=(), name="s"):
    return {"step": name, "function": function, "path": list(path), "visible": list(visible),
            "bound": list(bound)}


def file_function(path, name):
    return {"kind": "file", "source": str(path), "name": name}


def kinds(findings):
    return [(f["kind"], f.get("parameter")) for f in findings]


def test_binding_rules(tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("import os\n\n"
                      "def f(a, b, c=1, *rest, d, e=2, **options):\n    pass\n\n"
                      "def g(x):\n    pass\n")
    assert deep.check_step(step(file_function(source, "f"), visible=["a"], bound=["d"])) == [
        {"step": "s", "kind": "parameter", "parameter": "b", "file": str(source), "line": 3,
         "message": "step 's' cannot bind parameter 'b' of f: it is not bound by 'with' or 'args' and "
                    "no artifact of that name is visible; visible names: a"}]
    assert deep.check_step(step(file_function(source, "f"), visible=["a", "b", "d"], bound=["zzz"])) == []
    assert kinds(deep.check_step(step(file_function(source, "g"), bound=["x", "y"]))) == [
        ("unknown_parameter", "y")]


def test_missing_function_and_file(tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("def load():\n    pass\n\ndef _private():\n    pass\n")
    [finding] = deep.check_step(step(file_function(source, "lod")))
    assert finding["kind"] == "function" and finding["message"].endswith("it defines: load")
    [finding] = deep.check_step(step(file_function(tmp_path / "nope.py", "f")))
    assert finding["kind"] == "source" and "no such file" in finding["message"]


def test_nothing_runs_and_unknowable_signatures_are_not_reported(tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("raise SystemExit('must not run')\n"
                      "from functools import partial\n"
                      "h = partial(print)\n"
                      "try:\n    def t(q):\n        pass\nexcept ImportError:\n    pass\n"
                      "class Base:\n    pass\n"
                      "class K(Base):\n    def m(self, v):\n        pass\n"
                      "    @classmethod\n    def c(cls, v):\n        pass\n")
    for name in ["partial", "h", "K.inherited"]:
        assert deep.check_step(step(file_function(source, name))) == [], name
    assert kinds(deep.check_step(step(file_function(source, "t")))) == [("parameter", "q")]
    assert kinds(deep.check_step(step(file_function(source, "K.m"), visible=["v"]))) == [("parameter", "self")]
    assert deep.check_step(step(file_function(source, "K.c"), visible=["v"])) == []


def test_modules_are_found_without_importing_them(tmp_path):
    package = tmp_path / "pkg_deep_xyz"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('a package must not be imported')\n")
    (package / "steps.py").write_text("def run(a):\n    pass\n")
    module = {"kind": "module", "source": "pkg_deep_xyz.steps", "name": "run"}
    assert deep.check_step(step(module, visible=["a"], path=[str(tmp_path)])) == []
    assert kinds(deep.check_step(step(module, path=[str(tmp_path)]))) == [("parameter", "a")]
    [finding] = deep.check_step(step({**module, "source": "pkg_deep_xyz.nope"}, path=[str(tmp_path)]))
    assert finding["kind"] == "source" and "pkg_deep_xyz.nope" in finding["message"]
    assert deep.check_step(step({"kind": "module", "source": "math", "name": "sqrt"})) == [], \
        "an extension module cannot be read: not reported"


def test_notebooks_are_read_as_they_load(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# x"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%time\n", "def f(a, b):\n", "    pass\n"]},
             {"cell_type": "code", "metadata": {"tags": ["flowspec-skip"]}, "outputs": [], "source": "def g():\n    pass\n"}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    function = {"kind": "notebook", "source": str(path), "name": "f"}
    [finding] = deep.check_step(step(function, visible=["a"]))
    assert (finding["kind"], finding["parameter"], finding["cell"], finding["line"]) == ("parameter", "b", 2, 2)
    [finding] = deep.check_step(step({**function, "name": "g"}))
    assert finding["kind"] == "function" and "cell 3" in finding["message"] and "flowspec-skip" in finding["message"]


def test_the_check_request(worker, tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("def f(a):\n    pass\n")
    response = worker.send("check", steps=[step(file_function(source, "f"), name="one"),
                                           step(file_function(source, "f"), visible=["a"], name="two")])
    assert response["status"] == "ok"
    assert kinds(response["findings"]) == [("parameter", "a")] and response["findings"][0]["step"] == "one"


def test_a_missing_function_lists_the_names_defined(tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("def load():\n    pass\n\nclass Model:\n    pass\n")
    [finding] = deep.check_step(step(file_function(source, "lod")))
    assert finding["defined"] == ["load", "Model"]


def test_code_too_deep_for_the_parser_is_a_finding_not_a_traceback(worker, tmp_path):
    source = tmp_path / "steps.py"
    source.write_text("def f():\n    pass\n\nx = " + "+".join(["1"] * 200_000) + "\n")
    response = worker.send("check", steps=[step(file_function(source, "f"))])
    assert response["status"] == "ok", response
    [finding] = response["findings"]
    assert finding["kind"] == "source" and str(source) in finding["message"]
    assert "too deeply" in finding["message"] and "Traceback" not in finding["message"]


def test_a_notebook_name_the_loader_skips_is_reported(tmp_path):
    path = tmp_path / "nb.ipynb"
    code = lambda text: {"cell_type": "code", "metadata": {}, "outputs": [], "source": text}
    cells = [code("import math\nvalues = list(range(3))\n"),
             code("CLIP = float(max(values))\nLIMIT = 3\n"),
             code("def helper(x):\n    return min(x, CLIP) + LIMIT\n\n"
                  "def f(x):\n    y = helper(x)\n    return math.floor(y) + len(values)\n")]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    findings = deep.check_step(step({"kind": "notebook", "source": str(path), "name": "f"}, visible=["x"]))
    assert [(f["kind"], f["parameter"], f["cell"], f["line"]) for f in findings] == [
        ("skipped_name", "CLIP", 2, 1), ("skipped_name", "values", 1, 2)]
    assert "cell 2, line 1 assigns 'CLIP'" in findings[0]["message"] and "helper" in findings[0]["message"]
