import json
import traceback

import pytest

from flowspec._runtime import loading, notebook
from flowspec._runtime.failures import Failure


def write_notebook(folder, *cells, name="nb.ipynb"):
    """Cells are source strings (code), ("markdown", text) or (source, [tags])."""
    raw = []
    for cell in cells:
        if isinstance(cell, tuple) and cell[0] == "markdown":
            raw.append({"cell_type": "markdown", "metadata": {}, "source": cell[1]})
            continue
        source, tags = (cell, []) if isinstance(cell, str) else cell
        raw.append({"cell_type": "code", "execution_count": None, "metadata": {"tags": tags},
                    "outputs": [], "source": source.splitlines(True)})
    path = folder / name
    path.write_text(json.dumps({"cells": raw, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return str(path)


def load(path, name):
    return loading.load_function({"kind": "notebook", "source": path, "name": name}, [])


def test_keeps_imports_defs_and_literal_constants_only(tmp_path):
    path = write_notebook(
        tmp_path,
        ("markdown", "# Title"),
        "%matplotlib inline\nimport math\nSCALE = 2\nOPTIONS = {'a': [1, 2]}\n",
        "def area(r):\n    return round(math.pi * r * r * SCALE, 2)\n",
        "print('exploring')\nresult = area(3)\nraise SystemExit('the loop would run here')\n",
        "!pip install nothing\nclass Box:\n    size = 3\n",
    )
    area = load(path, "area")
    module = loading.sys.modules[area.__module__]
    assert area(1) == 6.28
    assert module.OPTIONS == {"a": [1, 2]} and module.Box.size == 3
    assert not hasattr(module, "result")
    assert load(path, "area") is area, "loaded once per worker"


def test_cell_magics_and_skip_tagged_cells_are_left_out(tmp_path):
    path = write_notebook(
        tmp_path,
        "%%time\ndef slow():\n    pass\n",
        ("def tune():\n    pass\nimport no_such_module_xyz\n", ["flowspec-skip"]),
        "def keep():\n    return 1\n",
    )
    assert load(path, "keep")() == 1
    with pytest.raises(Failure) as caught:
        load(path, "tune")
    message = caught.value.message
    assert "has no function 'tune'" in message and "cell 2" in message and "flowspec-skip" in message
    assert "keep (cell 3, line 1)" in message


def test_syntax_error_names_cell_and_line(tmp_path):
    path = write_notebook(tmp_path, "x = 1\n", ("markdown", "text"), "def ok():\n    pass\n",
                          "def f(:\n    pass\n")
    with pytest.raises(Failure) as caught:
        load(path, "ok")
    assert caught.value.kind == "import" and "cell 4, line 1: syntax error" in caught.value.message


def test_an_error_while_loading_names_cell_and_line(tmp_path):
    path = write_notebook(tmp_path, "X = 1\n", "def f(a=undefined_name):\n    pass\n")
    with pytest.raises(Failure) as caught:
        load(path, "f")
    assert "cell 2, line 1: NameError" in caught.value.message


def test_tracebacks_name_the_notebook_and_cell(tmp_path):
    path = write_notebook(tmp_path, "import math\n", "def boom(x):\n    y = 1\n    return math.sqrt(x) / 0\n")
    boom = load(path, "boom")
    assert boom.__code__.co_filename == f"{path}, cell 2"
    with pytest.raises(ZeroDivisionError) as caught:
        boom(4)
    text = "".join(traceback.format_exception(caught.value))
    assert f'File "{path}, cell 2", line 3, in boom' in text
    assert "return math.sqrt(x) / 0" in text, "the cell's line is shown"


def test_a_missing_plotting_module_fails_only_its_use(tmp_path):
    path = write_notebook(tmp_path, "import no_such_plotting_lib_xyz as plt\n",
                          "def fine():\n    return 2\n", "def plot():\n    plt.show()\n")
    assert load(path, "fine")() == 2
    with pytest.raises(ModuleNotFoundError) as caught:
        load(path, "plot")()
    assert "no_such_plotting_lib_xyz" in str(caught.value) and "cell 1, line 1" in str(caught.value)


def test_a_task_runs_a_notebook_function(worker, tmp_path):
    path = write_notebook(tmp_path, "def double(x):\n    return 2 * x\n", "double(21)\n")
    response = worker.send("task", step="s", task="s", function={"kind": "notebook", "source": path,
                                                                "name": "double"},
                           path=[], env={}, bound={"x": {"literal": 21}}, available={},
                           outputs={"kind": "single", "names": ["y"]})
    assert response["status"] == "ok", response
    assert response["outputs"]["y"]["repr"] == "42"


def test_strip_magics_keeps_line_numbers():
    assert notebook.strip_magics("%env A=1\nx = 1\n!ls \\\n  -l\ny = 2") == "\nx = 1\n\n\ny = 2"


def test_a_percent_inside_brackets_is_the_modulo_operator(tmp_path):
    path = write_notebook(
        tmp_path,
        "%matplotlib inline\nimport math\n",
        "def label(i, n):\n    return ('fold %d of %d'\n            % (i, n))\n",
        "print('%d folds'\n      % 3)\ndef width():\n    return (7\n            % 4)\n",
        "  %time x = 1\nSIZES = [\n    10,\n    3,\n]\n!ls\n",
    )
    assert load(path, "label")(1, 3) == "fold 1 of 3"
    module = loading.sys.modules[load(path, "label").__module__]
    assert module.width() == 3 and module.SIZES == [10, 3] and not hasattr(module, 'x')


def test_strip_magics_finds_logical_lines():
    source = "x = (1\n% 2)\n%time y\n!ls\ns = '''\n%not a magic\n'''\nz = 1 + \\\n%2\n"
    assert notebook.strip_magics(source) == "x = (1\n% 2)\n\n\ns = '''\n%not a magic\n'''\nz = 1 + \\\n%2\n"


def test_a_name_the_loader_skipped_says_where_and_what_to_do(worker, tmp_path):
    path = write_notebook(
        tmp_path,
        "import math\n",
        "values = [1.0, 2.0, 9.0]\nCLIP = float(max(values) / 2)\n",
        "def clipped(x):\n    return min(x, CLIP)\n",
    )
    response = worker.send("task", step="s", task="s", function={"kind": "notebook", "source": path,
                                                                "name": "clipped"},
                           path=[], env={}, bound={"x": {"literal": 7}}, available={},
                           outputs={"kind": "single", "names": ["y"]})
    assert response["status"] == "failed"
    message = response["error"]["message"]
    assert response["error"]["type"] == "builtins.NameError"
    assert message.startswith("name 'CLIP' is not defined"), message
    assert "cell 2, line 2 assigns 'CLIP'" in message and "not a literal" in message, message
    assert "inside the function" in message, message


def test_a_cell_too_deep_for_the_parser_names_the_cell(tmp_path):
    path = write_notebook(tmp_path, "def f():\n    pass\n", "x = " + "+".join(["1"] * 200_000) + "\n")
    with pytest.raises(Failure) as caught:
        load(path, "f")
    assert "cell 2: the code is nested too deeply" in caught.value.message


def test_loading_that_needs_a_skipped_name_says_why(tmp_path):
    path = write_notebook(tmp_path, "import math\nLIMIT = math.sqrt(16)\n", "def f(x=LIMIT):\n    return x\n")
    with pytest.raises(Failure) as caught:
        load(path, "f")
    assert "cell 2, line 1: NameError: name 'LIMIT' is not defined; cell 1, line 2 assigns 'LIMIT'" in caught.value.message
