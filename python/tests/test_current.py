"""`from flowspec import current` inside steps run by the real binary, and the client's default
store and namespace inside a running step."""
import pytest

from flowspec import Flow, current, namespace
from flowspec_binary import REPO, flowspec, flowspec_run, run_id

STEPS = """\
import os
from flowspec import current


def fields():
    return {name: getattr(current, name) for name in ("flow_name", "run_id", "step_name", "task_id", "index",
            "retry_count", "origin_run_id", "store", "is_running_flow", "pathspec")}


def start():
    return fields(), ["a", "b", "c"]


def each(item):
    marker = os.path.join(os.path.dirname(current.store), f"tried-{current.run_id}")
    if item == "b" and not os.path.exists(marker):
        open(marker, "w").close()
        raise ConnectionError("flaky")  # once per run: its retry succeeds
    return fields()


def end():
    if os.environ.get("FAIL_END"):
        raise RuntimeError("end failed")
    return fields()
"""

SPEC = """\
flowspec: 1
name: Current
steps:
  start: {run: steps.py:start, outputs: [info, items], next: each}
  each: {foreach: items, run: steps.py:each, outputs: got, retry: 1, next: plain}
  plain: {run: plain.py:untouched, outputs: [given, names], next: join}
  join: {join: true, next: end}
  end: {run: steps.py:end, outputs: last}
"""

PLAIN = """\
def untouched(item, **given):
    return sorted(given), sorted(name for name in globals() if not name.startswith("__"))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("current")
    (folder / "steps.py").write_text(STEPS)
    (folder / "plain.py").write_text(PLAIN)
    (folder / "flow.yaml").write_text(SPEC)
    return folder


def test_current_tells_each_task_its_run_step_label_index_and_retry(project):
    store = project / "store"
    pathspec = run_id(flowspec_run(project / "flow.yaml", store, "--max-workers", "1"))
    flow, run_id_ = pathspec.split("/")
    namespace(None)
    run = Flow(flow, store=store).latest_run
    assert run.pathspec == pathspec
    assert run["start"].task.data.info == {
        "flow_name": "Current", "run_id": run_id_, "step_name": "start", "task_id": "", "index": None,
        "retry_count": 0, "origin_run_id": None, "store": str(store), "is_running_flow": True,
        "pathspec": f"{pathspec}/start"}
    got = [t.data.got for t in run["each"]]
    assert [(g["task_id"], g["index"], g["retry_count"]) for g in got] == [("0", 0, 0), ("1", 1, 1), ("2", 2, 0)]
    assert [g["pathspec"] for g in got] == [f"{pathspec}/each/{i}" for i in range(3)]
    assert len(run["each"].task_at(1).attempts) == 2


def test_a_function_that_never_imports_current_is_unchanged(project):
    store = project / "store-plain"
    flowspec_run(project / "flow.yaml", store)
    namespace(None)
    plain = Flow("Current", store=store).latest_run["plain"].task_at(0)
    assert plain.data.given == []  # nothing passed beyond its parameters
    assert plain.data.names == ["untouched"]  # and nothing added to its module


def test_a_resumed_run_tells_its_tasks_the_run_it_took_tasks_from(project):
    store = project / "store-resume"
    failed = flowspec_run(project / "flow.yaml", store, env={"FAIL_END": "1"}, check=False)
    assert failed.returncode == 1, failed.stderr
    origin = run_id(failed).split("/")[1]
    resumed = flowspec("resume", project / "flow.yaml", "--store", store, cwd=project)
    namespace(None)
    run = Flow("Current", store=store).latest_run
    assert run.pathspec == run_id(resumed) and run.origin_run == origin
    assert run.data.last["origin_run_id"] == origin and run.data.last["run_id"] == run.id


def test_outside_a_step_current_is_empty(project):
    assert not current.is_running_flow
    assert (current.flow_name, current.run_id, current.task_id, current.retry_count, current.store,
            current.pathspec) == (None,) * 6
    assert repr(current) == "<current: not in a running step>"


READER = """\
from flowspec import Flow, current, get_namespace, namespace


def start():
    return Flow("MovieStats").latest_run.data.top, current.store, [1, 2]


def widen(item):
    before = get_namespace()
    namespace(None)
    return before


def check(item):
    return get_namespace()
"""


def test_inside_a_step_the_client_reads_the_runs_own_store_and_keeps_namespace_per_task(tmp_path):
    store = tmp_path / "store"
    flowspec_run(REPO / "examples/movies/movies.yaml", store, "-p", "top=3", env={"USER": "eve"})
    (tmp_path / "reader.py").write_text(READER)
    (tmp_path / "reader.yaml").write_text(
        "flowspec: 1\nname: Reader\nsteps:\n"
        "  start: {run: reader.py:start, outputs: [top, store, pairs], next: widen}\n"
        "  widen: {foreach: pairs, run: reader.py:widen, outputs: before, next: check}\n"
        "  check: {run: reader.py:check, outputs: after, next: join}\n"
        "  join: {join: true, next: end}\n  end: {}\n")
    (tmp_path / "elsewhere").mkdir()
    # A different store in the current folder and in $FLOWSPEC_STORE: the step still reads its run's.
    flowspec_run(REPO / "examples/movies/movies.yaml", tmp_path / "elsewhere" / ".flowspec", "-p", "top=9",
                 env={"USER": "eve"})
    result = flowspec_run(tmp_path / "reader.yaml", store, "--max-workers", "1", cwd=tmp_path / "elsewhere",
                          env={"FLOWSPEC_STORE": str(tmp_path / "elsewhere" / ".flowspec"), "USER": "eve"})
    assert result.returncode == 0
    namespace(None)
    run = Flow("Reader", store=store).latest_run
    assert (run.data.top, run.data.store) == (3, str(store))
    # The first task's namespace(None) is not the second's: each starts in its user's.
    assert [t.data.before for t in run["widen"]] == ["user:eve", "user:eve"]
    assert [t.data.after for t in run["check"]] == ["user:eve", "user:eve"]
