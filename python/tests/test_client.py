"""The read-only client (`from flowspec import Flow`) over stores made by the real `flowspec run`."""
import datetime
import os
import pathlib
import shutil
import socket
import sqlite3
import subprocess
import time

import pytest

import flowspec
from flowspec import Flow, flows
from flowspec.client import (NotFoundError, Store, StoreFormatError, StoreNotFoundError)
from flowspec._runtime import blobs, reprs
from flowspec_binary import REPO, flowspec_run

VALID = sorted(p for p in (REPO / "specs" / "valid").iterdir() if p.suffix in (".yaml", ".json"))


def golden_path(spec):
    base = str(spec)[:-5] if str(spec).endswith(".yaml") else str(spec)
    return pathlib.Path(base + ".run.txt")


@pytest.fixture(scope="module")
def movies(tmp_path_factory):
    """Two movie runs (top=2 then the default 5, tagged) in one store."""
    store = tmp_path_factory.mktemp("movies") / "store"
    first = flowspec_run(REPO / "examples/movies/movies.yaml", store, "-p", "top=2")
    time.sleep(0.01)
    second = flowspec_run(REPO / "examples/movies/movies.yaml", store, "--tag", "nightly", "--tag", "v2")
    ids = [r.stdout.splitlines()[0].split("/", 1)[1] for r in (first, second)]
    return store, ids


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("failing")
    (folder / "steps.py").write_text(
        "def load():\n    return [1, 2, 3]\n\n"
        "def check(item):\n    print(f'checking {item}')\n    if item == 2:\n"
        "        raise ValueError(f'bad row {item}')\n    return item\n")
    (folder / "fail.yaml").write_text(
        "flowspec: 1\nname: Fails\nsteps:\n"
        "  start: {run: steps.py:load, outputs: rows, next: each}\n"
        "  each: {foreach: rows, run: steps.py:check, outputs: ok, next: join}\n"
        "  join: {join: true, next: end}\n"
        "  end: {}\n")
    store = folder / "store"
    result = flowspec_run(folder / "fail.yaml", store, check=False)
    assert result.returncode == 1, result.stderr
    return store


@pytest.mark.parametrize("spec", [p for p in VALID if golden_path(p).exists()], ids=lambda p: p.name)
def test_every_valid_shape_sees_the_golden_end_values(spec, tmp_path):
    store = tmp_path / "store"
    result = flowspec_run(spec, store)
    flow_name, run_id = result.stdout.splitlines()[0].split("/", 1)
    run = Flow(flow_name, store=store).latest_run
    assert run.id == run_id and run.status == "completed"
    lines = "".join(f"{name} = {artifact.repr}\n" for name, artifact in sorted(run.data.artifacts.items()))
    assert lines == golden_path(spec).read_text()
    for name, artifact in run.data.artifacts.items():
        assert reprs.short(getattr(run.data, name)) == artifact.repr  # the worker's repr


def test_movies_runs_latest_and_lookup(movies):
    store, (first_id, second_id) = movies
    flow = Flow("MovieStats", store=store)
    assert [r.id for r in flow.runs()] == [second_id, first_id]
    assert flow.latest_run.id == second_id
    assert flow["latest"].id == second_id
    assert flow[first_id].id == first_id
    assert flow[first_id[:-1]].id == first_id or first_id[:-1] == second_id[:-1]
    assert flow.run(f"MovieStats/{second_id}").id == second_id
    assert len(flow) == 2
    assert flows(store) == ["MovieStats"] == Flow.list(store=store)
    with pytest.raises(KeyError, match="ambiguous"):
        flow[first_id[:2]]  # both ids begin with the year
    with pytest.raises(KeyError, match="no run '19990101'"):
        flow["19990101"]


def test_movies_run_fields(movies):
    store, (first_id, second_id) = movies
    run = Flow("MovieStats", store=store)[second_id]
    assert run.status == "completed"
    assert run.user_tags == {"nightly", "v2"} and run.user_tags <= run.tags
    assert Flow("MovieStats", store=store)[first_id].user_tags == frozenset()
    assert isinstance(run.created_at, datetime.datetime)
    assert run.created_at.tzinfo == datetime.timezone.utc
    assert run.created_at <= run.finished_at
    assert run.created_at.strftime("%Y%m%d-%H%M%S") == run.id[:15]
    assert dict(run.params) == {"genre": "Sci-Fi", "top": 5,
                                "data": (REPO / "examples/movies/data/movies.csv").read_text()}
    assert Flow("MovieStats", store=store)[first_id].params["top"] == 2
    assert [s.name for s in run.steps()] == ["start", "per_genre", "combine", "end"]
    assert [s.name for s in run] == ["start", "per_genre", "combine", "end"]
    assert "movies.yaml" in run.spec_path and "name: MovieStats" in run.spec


def test_movies_data_values(movies):
    store, _ = movies
    run = Flow("MovieStats", store=store).latest_run
    table = run.data.table
    assert isinstance(table, list) and all(isinstance(row, dict) for row in table)
    assert table[0] == {"genre": "Sci-Fi", "count": 6, "mean_rating": 8.25, "best": "The Matrix"}
    assert [row["genre"] for row in table[:3]] == ["Sci-Fi", "Action", "Comedy"]
    assert run.data["genre"] == "Sci-Fi" and run.data.top == 5
    assert "| **Sci-Fi** | 6 | 8.25 | The Matrix |" in run.data.end
    assert "stats" not in run.data  # differs per genre: reachable through the join's inputs only
    assert sorted(run.data) == ["data", "end", "genre", "genres", "movies", "table", "top"]


def test_foreach_tasks_in_order_with_their_data(movies):
    store, _ = movies
    run = Flow("MovieStats", store=store).latest_run
    genres = run["start"].task.data.genres
    assert genres == sorted(genres) and len(genres) == 12
    step = run["per_genre"]
    assert len(step) == 12 and step.kind == "foreach"
    tasks = list(step)
    assert [t.index for t in tasks] == list(range(12))
    assert [t.path for t in tasks] == [(i,) for i in range(12)]
    assert [t.data.stats["genre"] for t in step] == genres
    assert [t.name for t in tasks[:2]] == ["per_genre/0", "per_genre/1"]
    assert [t.label for t in tasks[:2]] == ["0", "1"] and step.task_at("3") == tasks[3]
    task = step.task_at(0)
    assert task == tasks[0] == step[0]
    assert task.status == "completed"
    assert task.data.stats == {"genre": "Action", "count": 3, "mean_rating": 8.37, "best": "The Matrix"}
    assert task.data.genre == "Sci-Fi"  # the param, seen from the first task down
    assert set(task.outputs) == {"stats"}
    assert task.artifacts["stats"].task_row_id == task.row_id
    assert task.artifacts["stats"].type == "builtins.dict"
    assert task.artifacts["top"].repr == "5" and task.artifacts["top"].is_param
    combine = run["combine"].task
    assert combine.index is None and combine.path == ()
    assert [d.stats["genre"] for d in combine.inputs] == genres
    assert [p.index for p in combine.parents] == list(range(12))
    assert run["start"].task.index is None


def test_attempts_stdout_and_stderr(movies):
    store, _ = movies
    run = Flow("MovieStats", store=store).latest_run
    end = run["end"].task
    assert "| **Sci-Fi** | 6 | 8.25 | The Matrix |" in end.stdout
    assert end.stderr == ""
    [attempt] = end.attempts
    assert attempt.number == 1 and attempt.status == "completed"
    assert attempt.error_kind is None and attempt.error_message is None
    assert attempt.started_at <= attempt.finished_at
    assert run["per_genre"].task_at(3).stdout == ""


def test_output_too_large_for_its_row_is_read_back_from_its_blob(tmp_path):
    (tmp_path / "steps.py").write_text(
        "import os, sys\n\ndef start():\n    sys.stdout.write('x' * 99 + '\\n' * 1 + 'y' * 3_000_000)\n"
        "    os.write(2, b'small\\n')\n")
    (tmp_path / "f.yaml").write_text("flowspec: 1\nname: Loud\nsteps:\n  start: {run: steps.py:start}\n")
    store = tmp_path / "store"
    flowspec_run(tmp_path / "f.yaml", store, "--quiet")
    task = Flow("Loud", store=store).latest_run["start"].task
    assert task.stdout == "x" * 99 + "\n" + "y" * 3_000_000
    assert task.stderr == "small\n"
    with sqlite3.connect(store / "flowspec.db") as db:
        [(inline, blob, small_blob)] = db.execute("SELECT stdout, stdout_blob, stderr_blob FROM attempts").fetchall()
    assert inline == "" and small_blob is None
    assert (store / "blobs" / blob[:2] / blob).read_bytes() == task.stdout.encode()


def test_nested_foreach_order_and_paths(tmp_path):
    store = tmp_path / "store"
    flowspec_run(REPO / "specs/valid/nested_foreach.yaml", store)
    run = Flow("CrossValidation", store=store).latest_run
    folds = run["per_fold"]
    assert len(folds) == 27
    paths = [t.path for t in folds]
    assert paths == sorted(paths) and paths[:4] == [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 1, 0)]
    task = folds.task_at(2, 1, 0)
    assert task.path == (2, 1, 0) and task.index == 0
    assert task.data.families == ["line", "mean", "median"]
    with pytest.raises(KeyError, match="several tasks at index 0"):
        folds.task_at(0)
    with pytest.raises(KeyError, match=r"no task at \[5, 0, 0\]"):
        folds.task_at(5, 0, 0)
    assert [t.path for t in run["fold_mean"]] == [(f, a) for f in range(3) for a in range(3)]
    assert run.data.best["family"] == "line"


def test_failed_run_status_attempts_and_traceback(failing):
    run = Flow("Fails", store=failing).latest_run
    assert run.status == "failed"
    each = run["each"]
    assert each.task_at(0).status == "completed" and each.task_at(0).data.ok == 1
    bad = each.task_at(1)
    assert bad.status == "failed"
    assert bad.stdout == "checking 2\n"
    attempt = bad.attempts[-1]
    assert attempt.status == "failed" and attempt.error_kind == "exception"
    assert attempt.error_type.endswith("ValueError")
    assert attempt.error_message.endswith("bad row 2")
    assert 'steps.py", line 7, in check' in attempt.error_traceback
    assert bad.error == attempt.error_message
    assert "ok" not in bad.data
    with pytest.raises(AttributeError, match="end step never finished"):
        run.data.rows
    assert len(run.data) == 0


def test_lazy_loading_unpickles_only_what_is_read(movies, monkeypatch):
    store, _ = movies
    loaded = []
    real = blobs.read_value

    def spy(store_path, hex_digest):
        loaded.append(hex_digest)
        return real(store_path, hex_digest)
    monkeypatch.setattr(blobs, "read_value", spy)
    run = Flow("MovieStats", store=store).latest_run
    data = run.data
    repr(data), dir(data), list(data), data.artifacts, "table" in data
    params = run.params
    repr(params), list(params), len(params)
    step = run["per_genre"]
    [t.artifacts for t in step], [t.data for t in step], [t.status for t in step]
    assert loaded == []
    assert data.table[0]["genre"] == "Sci-Fi"
    assert loaded == [data.artifacts["table"].blob]
    data.table
    assert len(loaded) == 1  # kept once loaded
    assert params["top"] == 5
    assert loaded[-1] == params.artifacts["top"].blob and len(loaded) == 2
    step.task_at(4).data.stats
    assert len(loaded) == 3
    run.data.table
    assert len(loaded) == 3  # a finished run keeps its data


def store_state(store):
    state = {}
    for path in pathlib.Path(store).rglob("*"):
        if path.is_file() and not path.name.endswith(("-shm", "-wal")):
            stat = path.stat()
            state[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return state


def test_reading_never_writes_the_store(movies, failing):
    store, _ = movies
    for folder in (store, failing):
        before = store_state(folder)
        time.sleep(0.02)
        for name in flows(folder):
            for run in Flow(name, store=folder).runs():
                run.status, dict(run.params), run.data.artifacts, [dict(t.data.artifacts) for s in run for t in s]
                for name_ in run.data:
                    getattr(run.data, name_)
                [t.attempts for s in run for t in s]
        assert store_state(folder) == before
    flow = Flow("MovieStats", store=store)
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        flow.store._connection.execute("DELETE FROM runs")
    assert len(flow.runs()) == 2


def test_clear_errors_for_unknown_names(movies, tmp_path, monkeypatch):
    store, _ = movies
    with pytest.raises(StoreNotFoundError, match="no flowspec store at") as error:
        Flow("MovieStats", store=tmp_path / "nowhere")
    assert isinstance(error.value, FileNotFoundError)
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreNotFoundError, match="no flowspec.db"):
        Flow("MovieStats", store=tmp_path / "empty")
    with pytest.raises(KeyError, match="no flow 'MovieStat'.*did you mean 'MovieStats'"):
        Flow("MovieStat", store=store)
    run = Flow("MovieStats", store=store).latest_run
    with pytest.raises(KeyError, match="no step 'per_genres'.*did you mean 'per_genre'"):
        run["per_genres"]
    with pytest.raises(AttributeError, match=r"no artifact 'tabel'; did you mean 'table'\?.*available: data, end"):
        run.data.tabel
    with pytest.raises(KeyError, match="no artifact 'tabel'"):
        run.data["tabel"]
    with pytest.raises(KeyError, match="no param 'topp'.*did you mean 'top'"):
        run.params["topp"]
    assert str(NotFoundError("plain")) == "plain"


def test_default_store_from_environment_then_current_folder(movies, tmp_path, monkeypatch):
    store, _ = movies
    monkeypatch.setenv("FLOWSPEC_STORE", str(store))
    assert Flow("MovieStats").store.path == str(store)
    monkeypatch.delenv("FLOWSPEC_STORE")
    monkeypatch.chdir(store.parent)
    shutil.copytree(store, store.parent / ".flowspec", dirs_exist_ok=True)
    assert Flow("MovieStats").latest_run.data.top == 5
    assert flowspec.flows() == ["MovieStats"]



def test_store_paths_with_dot_dot_resolve_as_the_kernel_opens_them(movies, tmp_path, monkeypatch):
    """`link/..` is the parent of the link's target, not the folder holding the link."""
    store, _ = movies
    real = tmp_path / "real" / "deep"
    real.mkdir(parents=True)
    shutil.copytree(store, tmp_path / "real" / "st")
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLOWSPEC_STORE", "link/../st")
    assert Flow("MovieStats").latest_run.data.top == 5
    assert Store().path == str((tmp_path / "real" / "st").resolve())


def copy_store(store, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    return copy


def test_a_running_run_whose_scheduler_is_gone_shows_interrupted(movies, tmp_path):
    store, _ = movies
    copy = copy_store(store, tmp_path)
    run_id = Flow("MovieStats", store=copy).latest_run.id
    with open(f"/proc/{os.getpid()}/stat") as file:
        own_start = int(file.read().rsplit(")", 1)[1].split()[19])
    dead_pid = subprocess.Popen(["true"])
    dead_pid.wait()
    now = int(time.time() * 1000)
    here = socket.gethostname()
    cases = [
        ((dead_pid.pid, here, None, now), "interrupted"),
        ((os.getpid(), here, own_start, now), "running"),
        ((os.getpid(), here, own_start + 1, now), "interrupted"),  # the pid was reused
        ((1, "elsewhere", None, now), "running"),
        ((1, "elsewhere", None, now - 10 * 60 * 1000), "interrupted"),
    ]
    for (pid, host, start, heartbeat), expected in cases:
        with sqlite3.connect(copy / "flowspec.db") as writer:
            writer.execute("UPDATE runs SET status = 'running', scheduler_pid = ?, scheduler_host = ?, "
                           "scheduler_start = ?, heartbeat_at = ? WHERE id = ?",
                           (pid, host, start, heartbeat, run_id))
        writer.close()
        assert Flow("MovieStats", store=copy)[run_id].status == expected, (pid, host, start)


def test_another_format_version_is_refused(movies, tmp_path):
    store, _ = movies
    copy = copy_store(store, tmp_path)
    with sqlite3.connect(copy / "flowspec.db") as writer:
        writer.execute("UPDATE meta SET value = '2' WHERE key = 'format_version'")
    writer.close()
    with pytest.raises(StoreFormatError, match="format version 2; this client reads version 1"):
        Flow("MovieStats", store=copy)


def test_a_store_older_than_loop_labels_and_module_names_still_reads(tmp_path):
    # Runs recorded before `steps.in_loop` and `code_files.module` existed: a step with a later
    # pass is taken to be in a loop, and the snapshot's files are named by their paths.
    (tmp_path / "steps.py").write_text(
        "class Count:\n    def __init__(self, n):\n        self.n = n\n\n"
        "def bump(count=None):\n    n = 1 if count is None else count.n + 1\n"
        "    return Count(n), ('again' if n < 3 else 'done')\n")
    (tmp_path / "loop.yaml").write_text(
        "flowspec: 1\nname: OldLoop\nsteps:\n"
        "  start: {run: steps.py:bump, outputs: [count, state], max_iterations: 5,\n"
        "          switch: {on: state, cases: {again: start, done: end}}}\n  end: {}\n")
    store = tmp_path / "store"
    flowspec_run(tmp_path / "loop.yaml", store, cwd=tmp_path)
    database = sqlite3.connect(store / "flowspec.db")
    database.execute("ALTER TABLE steps DROP COLUMN in_loop")
    database.execute("ALTER TABLE code_files DROP COLUMN module")
    database.commit()
    database.close()
    run = Flow("OldLoop", store=store).latest_run
    assert [t.name for t in run["start"]] == ["start/#0", "start/#1", "start/#2"]
    assert run["start"].task_at("#1").data.count.n == 2 and run.data.count.n == 3
