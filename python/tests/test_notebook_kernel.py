"""A notebook calling `flowspec.run` and `flowspec.lint`, executed in a real Jupyter kernel
(nbclient and ipykernel, from scripts/install-deps.sh)."""
import nbformat
from nbclient import NotebookClient

from failing_flow import FAILING, STEPS
from flowspec_binary import BINARY, REPO


def notebook(movies, failing, lint_target):
    cells = [
        "import flowspec",
        f"run = flowspec.run({str(movies)!r}, params={{'top': 2}}, tags=['from-a-notebook'])\nrun.data.top",
        "sorted(run.user_tags), run.successful, run['start'].task.data.genres[:2]",
        f"[(f.code, f.line) for f in flowspec.lint({str(lint_target)!r})]",
        f"flowspec.run({str(failing)!r})",
    ]
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    book.cells[-1].metadata["tags"] = ["raises-exception"]  # nbclient lets this cell fail
    return book


def streams(cell, name):
    return "".join(out["text"] for out in cell.outputs if out["output_type"] == "stream" and out["name"] == name)


def result(cell):
    [out] = [out for out in cell.outputs if out["output_type"] == "execute_result"]
    return out["data"]["text/plain"]


def test_a_notebook_runs_a_flow_reads_it_and_lints_in_a_real_kernel(tmp_path, monkeypatch):
    (tmp_path / "steps.py").write_text(STEPS)
    (tmp_path / "fail.yaml").write_text(FAILING)
    monkeypatch.setenv("PYTHONPATH", str(REPO / "python"))
    monkeypatch.setenv("FLOWSPEC_BIN", str(BINARY))
    monkeypatch.delenv("FLOWSPEC_STORE", raising=False)
    book = notebook(REPO / "examples/movies/movies.yaml", tmp_path / "fail.yaml",
                    REPO / "specs/invalid/FS0203-unknown-foreach-artifact.yaml")
    NotebookClient(book, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    ran = book.cells[1]
    assert result(ran) == "2"
    assert streams(ran, "stdout").startswith("MovieStats/")  # the run id, first
    progress = streams(ran, "stderr")
    assert "✓ start 1/1\n✓ per_genre 12/12\n✓ combine 1/1\n✓ end 1/1\n" in progress
    assert "\r" not in progress and "\x1b" not in progress  # plain lines, no redrawn terminal
    assert result(book.cells[2]) == "(['from-a-notebook'], True, ['Action', 'Animation'])"
    assert result(book.cells[3]) == "[('FS0203', 11)]"
    [error] = [out for out in book.cells[4].outputs if out["output_type"] == "error"]
    assert error["ename"] == "RunFailedError"
    assert "failed\n  each/1: ValueError: bad row 2" in error["evalue"]
    assert (tmp_path / ".flowspec" / "flowspec.db").is_file()  # the kernel's folder's store
