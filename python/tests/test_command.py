"""`flowspec.run` and `flowspec.lint`, through the built binary."""
import pytest

import flowspec
from flowspec import Flow, RunFailedError, namespace
from failing_flow import FAILING, STEPS
from flowspec_binary import BINARY, REPO

MOVIES = REPO / "examples/movies/movies.yaml"


@pytest.fixture(autouse=True)
def the_binary(monkeypatch):
    monkeypatch.setenv("FLOWSPEC_BIN", str(BINARY))


def test_run_returns_the_completed_run_with_its_params_and_tags(tmp_path, capfd):
    store = tmp_path / "store"
    run = flowspec.run(MOVIES, params={"top": 3, "genre": "Drama"}, store=store, tags=("nb", "v1"))
    assert run.successful and run.params["top"] == 3 and run.params["genre"] == "Drama"
    assert run.user_tags == {"nb", "v1"} and run == Flow("MovieStats", store=store).latest_run
    out, err = capfd.readouterr()
    assert out.splitlines()[0] == run.pathspec
    assert len([line for line in out.splitlines() if line.startswith("[end] | ")]) == 1 + 3  # a header, the top 3
    assert "✓ per_genre 12/12" in err.splitlines() and "\r" not in err and "\x1b" not in err


def test_run_takes_bools_floats_and_json_values(tmp_path):
    (tmp_path / "steps.py").write_text("def start(flag, ratio, opts, name):\n    return [flag, ratio, opts, name]\n")
    (tmp_path / "p.yaml").write_text(
        "flowspec: 1\nname: Params\nparams:\n  flag: {type: bool}\n  ratio: {type: float}\n"
        "  opts: {type: json}\n  name: {type: str}\n"
        "steps:\n  start: {run: steps.py:start, outputs: got}\n")
    run = flowspec.run(tmp_path / "p.yaml", params={"flag": False, "ratio": float("inf"),
                                                   "opts": {"k": [1, 2.5]}, "name": "a b"}, store=tmp_path / "s")
    assert run.data.got == [False, float("inf"), {"k": [1, 2.5]}, "a b"]
    with pytest.raises(TypeError, match="param 'flag': a object cannot be given"):
        flowspec.run(tmp_path / "p.yaml", params={"flag": object()}, store=tmp_path / "s")


def test_a_failing_run_raises_with_the_failing_tasks_error_and_traceback(tmp_path, capfd):
    (tmp_path / "steps.py").write_text(STEPS)
    (tmp_path / "fail.yaml").write_text(FAILING)
    with pytest.raises(RunFailedError) as raised:
        flowspec.run(tmp_path / "fail.yaml", store=tmp_path / "store")
    error = raised.value
    assert error.exit_status == 1 and error.run.status == "failed"
    message = str(error)
    assert message.startswith(f"{error.run.pathspec} failed\n  each/1: ValueError: bad row 2\n")
    assert 'steps.py", line 7, in check' in message
    assert "checking 2" in capfd.readouterr().out


def test_a_spec_refused_before_the_run_raises_with_the_diagnostics(tmp_path):
    (tmp_path / "bad.yaml").write_text("flowspec: 1\nname: Bad\nsteps:\n  start: {next: nowhere}\n")
    with pytest.raises(RunFailedError, match=r"(?s)exited 1 before a run began.*FS0301") as raised:
        flowspec.run(tmp_path / "bad.yaml", store=tmp_path / "store")
    assert raised.value.run is None
    with pytest.raises(RunFailedError, match="exited 2 before a run began"):
        flowspec.run(MOVIES, params={"nope": 1}, store=tmp_path / "store")


def test_the_default_store_is_the_clients(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOWSPEC_STORE", raising=False)
    run = flowspec.run(MOVIES)
    assert run.store.path == str(tmp_path / ".flowspec")
    monkeypatch.setenv("FLOWSPEC_STORE", "elsewhere")
    assert flowspec.run(MOVIES).store.path == str(tmp_path / "elsewhere")


def test_a_missing_command_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("FLOWSPEC_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(flowspec.CommandNotFoundError, match="not on PATH: install it .* or set \\$FLOWSPEC_BIN"):
        flowspec.run(MOVIES)
    monkeypatch.setenv("FLOWSPEC_BIN", str(tmp_path / "nothing"))
    with pytest.raises(FileNotFoundError, match="FLOWSPEC_BIN is .*nothing', which is not an executable file"):
        flowspec.lint(MOVIES)


def test_lint_returns_the_findings(tmp_path):
    assert flowspec.lint(MOVIES) == []
    spec = REPO / "specs/invalid/FS0203-unknown-foreach-artifact.yaml"
    [finding] = flowspec.lint(spec)
    assert (finding.code, finding.severity, finding.line, finding.column) == ("FS0203", "error", 11, 14)
    assert finding.hint == "did you mean 'genres' (produced by 'start')?"
    assert str(finding).startswith(f"{spec}:11:14: error[FS0203]: step 'per_genre' iterates over 'genre'")
    (tmp_path / "steps.py").write_text(STEPS)
    (tmp_path / "f.yaml").write_text(FAILING.replace("steps.py:check", "steps.py:chek"))
    assert [f.code for f in flowspec.lint(tmp_path / "f.yaml")] == []
    assert [f.code for f in flowspec.lint(tmp_path / "f.yaml", deep=True)] == ["FS0401"]


def test_run_inside_namespaces_returns_its_run_whatever_the_namespace(tmp_path):
    namespace("user:somebody-else")
    run = flowspec.run(MOVIES, store=tmp_path / "store")
    assert run.successful


STEP_FLOW = """flowspec: 1
name: Spin
steps:
  start: {run: steps.py:start, outputs: rows, next: each}
  each: {foreach: rows, run: steps.py:each, outputs: box, next: join}
  join: {join: true, run: steps.py:total, outputs: total}
"""


def test_step_runs_the_current_function_on_a_tasks_inputs_and_records_no_run(tmp_path, capfd):
    (tmp_path / "steps.py").write_text(
        "class Box:\n    def __init__(self, value):\n        self.value = value\n\n"
        "def start():\n    return [1, 2, 3]\n\n"
        "def each(item):\n    return Box(item * 10)\n\n"
        "def total(inputs):\n    return sum(i.box.value for i in inputs)\n")
    (tmp_path / "spin.yaml").write_text(STEP_FLOW)
    store = tmp_path / "store"
    run = flowspec.run(tmp_path / "spin.yaml", store=store)
    assert run.data.total == 60
    # An edit to the step: `step` calls the new code on the inputs task 2 had.
    source = (tmp_path / "steps.py").read_text().replace("return Box(item * 10)", "print('boxing', item)\n    return Box(item * 100)")
    (tmp_path / "steps.py").write_text(source)
    capfd.readouterr()
    outputs = flowspec.step(tmp_path / "spin.yaml", "each", run.id, index=2, store=store)
    assert type(outputs["box"]).__name__ == "Box" and outputs["box"].value == 300
    assert "boxing 3" in capfd.readouterr().out
    assert [r.id for r in Flow("Spin", store=store).runs()] == [run.id]
    # The join takes every task's box: as they were in the run, whatever `each` does now.
    assert flowspec.step(tmp_path / "spin.yaml", "join", "latest", store=store) == {"total": 60}


def test_step_raises_the_functions_error_and_names_an_unknown_task(tmp_path):
    (tmp_path / "steps.py").write_text(
        "def start():\n    return [1, 2]\n\ndef each(item):\n    return item\n\ndef total(inputs):\n    return 0\n")
    (tmp_path / "spin.yaml").write_text(STEP_FLOW.replace("outputs: box", "outputs: box"))
    store = tmp_path / "store"
    flowspec.run(tmp_path / "spin.yaml", store=store)
    (tmp_path / "steps.py").write_text(
        "def start():\n    return [1, 2]\n\ndef each(item):\n    raise ValueError(f'bad {item}')\n\ndef total(inputs):\n    return 0\n")
    with pytest.raises(flowspec.StepFailedError, match="ValueError: bad 2") as raised:
        flowspec.step(tmp_path / "spin.yaml", "each", "latest", index=1, store=store)
    assert "steps.py" in raised.value.error["traceback"]
    with pytest.raises(flowspec.FlowspecError, match="no task '7'"):
        flowspec.step(tmp_path / "spin.yaml", "each", "latest", index=7, store=store)
