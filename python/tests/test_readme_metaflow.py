"""The README's "Coming from Metaflow" page runs as written: its `# file:` blocks are written to a
folder, its commands run there with the built binary, and its client session is a doctest."""
import doctest
import re
import shlex

import pytest

from flowspec_binary import REPO, flowspec

FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def page():
    text = (REPO / "README.md").read_text()
    start = text.index("\n## Coming from Metaflow\n")
    return text[start:text.index("\n## ", start + 1)]


def blocks(kind):
    return [body for language, body in FENCE.findall(page()) if language == kind]


def test_the_page_has_the_blocks_this_test_runs():
    python = blocks("python")
    assert [b.splitlines()[0] for b in python] == ["# Metaflow: movie_stats.py", "# file: movies.py"]
    assert [b.splitlines()[0] for b in blocks("yaml")] == ["# file: flow.yaml"]
    assert len(blocks("sh")) == 1 and len(blocks("pycon")) == 1
    for decorator in ("@step", "foreach=", "@retry", "@catch", "@timeout", "@resources", "@pypi", "@conda",
                      "@environment", "@card", "@kubernetes", "@batch", "self.input", "inputs.a.x", "spin"):
        assert decorator in page(), decorator


@pytest.fixture
def folder(tmp_path, monkeypatch):
    for body in blocks("python")[1:] + blocks("yaml"):
        name = body.splitlines()[0].removeprefix("# file: ")
        (tmp_path / name).write_text(body)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOWSPEC_STORE", raising=False)
    return tmp_path


def test_its_commands_run_and_its_client_session_reads_what_they_made(folder):
    commands = [shlex.split(line, comments=True) for line in blocks("sh")[0].splitlines()]
    assert all(command[0] == "flowspec" for command in commands) and len(commands) == 8
    for command in commands:
        flowspec(*command[1:], cwd=folder)
    session = blocks("pycon")[0]
    test = doctest.DocTestParser().get_doctest(session, {}, "README: Coming from Metaflow", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries == len(test.examples) > 10
