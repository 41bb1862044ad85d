"""Client code written for Metaflow runs against a store `flowspec run` made, with only its import
line changed; and the Metaflow names one by one."""
import os
import subprocess
import sys

import pytest

from flowspec import (Flow, InvalidPathspecError, Metaflow, NamespaceMismatchError, NotFoundError, Run, Step,
                      Task, namespace)
from flowspec_binary import REPO, flowspec_run, run_id

PYTHON = str(REPO / "python")

# As Metaflow's tutorials read results (02-statistics, 04-playlist-plus): only the import differs.
METAFLOW_CLIENT = """\
from metaflow import Flow, Metaflow, Run, Task, namespace
namespace(None)
print(sorted(flow.id for flow in Metaflow().flows))
run = Flow("MovieStats").latest_successful_run
print("Using run: %s" % str(run))
print(run.successful, run.finished, run.finished_at is not None, run.data.top)
genres = run["start"].task.data.genres
print(len(genres), genres[:2])
same = Run(run.pathspec)
print(same.id == run.id, same.pathspec == run.pathspec)
task = Task(run.pathspec + "/per_genre/3")
print(task.data.stats["genre"] == genres[3], task.index, task.successful, task.finished)
print(task.pathspec == run.pathspec + "/per_genre/3", task.id)
print([r.id for r in Flow("MovieStats").runs("nightly")] == [run.id])
print(len(list(Flow("MovieStats").runs())))
for step in run:
    print(step.id, len(list(step.tasks())))
"""


@pytest.fixture(scope="module")
def movies(tmp_path_factory):
    """A plain run, then one tagged `nightly`, each by a user of its own."""
    store = tmp_path_factory.mktemp("metaflow") / "store"
    spec = REPO / "examples/movies/movies.yaml"
    first = flowspec_run(spec, store, "-p", "top=2", env={"USER": "ana"})
    second = flowspec_run(spec, store, "--tag", "nightly", env={"USER": "bob"})
    return store, run_id(first), run_id(second)


def test_metaflow_client_code_runs_with_only_its_import_changed(movies, tmp_path):
    store, _, nightly = movies
    code = METAFLOW_CLIENT.replace("from metaflow import", "from flowspec import", 1)
    assert code.splitlines()[1:] == METAFLOW_CLIENT.splitlines()[1:]
    env = {**os.environ, "PYTHONPATH": PYTHON, "FLOWSPEC_STORE": str(store), "USER": "carol"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['MovieStats']",
        f"Using run: Run('{nightly}')",
        "True True True 5",
        "12 ['Action', 'Animation']",
        "True True",
        "True 3 True True",
        "True 3",
        "True",
        "2",
        "start 1", "per_genre 12", "combine 1", "end 1",
    ]


def test_pathspecs_name_each_object_and_lead_back_to_it(movies, monkeypatch):
    store, _, nightly = movies
    namespace(None)
    run = Run(nightly, store=store)
    assert (run.id, run.pathspec, repr(run)) == (nightly.split("/")[1], nightly, f"Run('{nightly}')")
    step = Step(f"{nightly}/per_genre", store=store)
    assert (step.id, step.pathspec, step.parent) == ("per_genre", f"{nightly}/per_genre", run)
    task = step.task_at(3)
    assert Task(task.pathspec, store=store) == task and task.parent == step and task.parent.parent == run
    start = run["start"].task
    assert start.id == "" and start.pathspec == f"{nightly}/start"
    assert Task(f"{nightly}/start", store=store) == start == Task(f"{nightly}/start/", store=store)
    assert run.parent == Flow("MovieStats", store=store) and run.parent.pathspec == "MovieStats"
    assert Run(f"MovieStats/{run.id[:-1]}", store=store) == run  # a unique prefix
    with pytest.raises(InvalidPathspecError, match="not a run pathspec: write FLOW/RUN"):
        Run("MovieStats", store=store)
    with pytest.raises(NotFoundError, match="has 12 tasks: name one by its label"):
        Task(f"{nightly}/per_genre", store=store)
    with pytest.raises(NotFoundError, match="no task '12'"):
        Task(f"{nightly}/per_genre/12", store=store)
    with pytest.raises(NotFoundError, match="did you mean 'per_genre'"):
        Step(f"{nightly}/per_genres", store=store)


def test_run_and_task_states_and_the_end_task(movies):
    store, _, nightly = movies
    namespace(None)
    run = Run(nightly, store=store)
    assert run.successful and run.finished and run.failure is None
    assert run.end_task == run["end"].task and run.end_task.successful
    task = run["per_genre"].task_at(0)
    assert task.finished and task.exception is None and task.stdout == "" and task.stderr == ""
    assert task.tags == run.tags and task["stats"].data == task.data.stats and "stats" in task
    assert task["stats"].id == "stats" and task["stats"].sha == task.artifacts["stats"].blob
    assert run["per_genre"].tasks("nightly") == list(run["per_genre"]) and run["per_genre"].tasks("other") == []
    assert [s.id for s in run.steps("nightly")] == ["start", "per_genre", "combine", "end"]
    assert run.steps("other") == []
    assert run.code.spec == run.spec and run.code.flowspec == run.spec and "name: MovieStats" in run.spec
    assert run.code.paths == ["movies.py"]
    assert run.code.files["movies.py"] == (REPO / "examples/movies/movies.py").read_bytes()


def test_a_failed_task_shows_its_exception_and_its_run_its_failure(tmp_path):
    (tmp_path / "steps.py").write_text(
        "def load():\n    return [1, 2, 3]\n\n"
        "def check(item):\n    if item == 2:\n        raise ValueError(f'bad row {item}')\n    return item\n")
    (tmp_path / "fail.yaml").write_text(
        "flowspec: 1\nname: Fails\nsteps:\n"
        "  start: {run: steps.py:load, outputs: rows, next: each}\n"
        "  each: {foreach: rows, run: steps.py:check, outputs: ok, next: join}\n"
        "  join: {join: true, next: end}\n  end: {}\n")
    flowspec_run(tmp_path / "fail.yaml", tmp_path / "store", check=False)
    namespace(None)
    run = Flow("Fails", store=tmp_path / "store").latest_run
    assert not run.successful and run.finished and run.failure == "each/1: ValueError: bad row 2"
    assert Flow("Fails", store=tmp_path / "store").latest_successful_run is None
    bad = run["each"].task_at(1)
    assert not bad.successful and bad.finished
    assert (bad.exception.type, bad.exception.message, bad.exception.kind) == ("builtins.ValueError", "bad row 2",
                                                                               "exception")
    assert str(bad.exception) == "builtins.ValueError: bad row 2"
    assert 'steps.py", line 6, in check' in bad.exception.traceback
    assert run["each"].task_at(0).exception is None


def test_artifacts_named_like_methods_are_reachable_as_attributes(tmp_path):
    (tmp_path / "steps.py").write_text("def make():\n    return [1, 2], {'k': 3}, 'got', 'all'\n")
    (tmp_path / "f.yaml").write_text(
        "flowspec: 1\nname: Shadows\nsteps:\n  start: {run: steps.py:make, outputs: [items, keys, get, to_dict]}\n")
    flowspec_run(tmp_path / "f.yaml", tmp_path / "store")
    namespace(None)
    data = Flow("Shadows", store=tmp_path / "store").latest_run.data
    assert (data.items, data.keys, data.get, data.to_dict) == ([1, 2], {"k": 3}, "got", "all")
    assert data["items"] == [1, 2] and sorted(data) == ["get", "items", "keys", "to_dict"]
    assert type(data).items(data) == [("get", "got"), ("items", [1, 2]), ("keys", {"k": 3}), ("to_dict", "all")]
    assert type(data).get(data, "keys") == {"k": 3}


def test_metaflow_lists_flows_with_a_run_in_the_namespace(movies):
    store, _, _ = movies
    namespace("user:ana")
    assert [f.id for f in Metaflow(store).flows] == ["MovieStats"]
    namespace("user:nobody")
    assert Metaflow(store).flows == []
    with pytest.raises(NamespaceMismatchError):
        Metaflow(store)["MovieStats"]
