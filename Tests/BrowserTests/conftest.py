"""The browser tests' world: a store with real runs, `flowspec ui` serving it on a free loopback
port, and one headless Chromium. Each is started here and stopped here."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from cdp import Browser  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLOWS = pathlib.Path(__file__).parent / "flows"
SCREENSHOTS = ROOT / ".build" / "browser-screenshots"


def flowspec_binary():
    """The binary `swift build` made (scripts/test.sh builds it first), or $FLOWSPEC_BINARY."""
    binary = os.environ.get("FLOWSPEC_BINARY") or str(ROOT / ".build" / "debug" / "flowspec")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no flowspec binary at {binary}: run `swift build` first")
    return binary


class Store:
    def __init__(self, path):
        self.path = path
        self.binary = flowspec_binary()

    def flowspec(self, *arguments, check=True, cwd=FLOWS):
        done = subprocess.run([self.binary, *arguments, "--store", str(self.path)], cwd=cwd,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise AssertionError(f"flowspec {' '.join(arguments)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def run(self, spec, *arguments, status=0):
        done = self.flowspec("run", spec, *arguments, check=False)
        assert done.returncode == status, done.stderr[-2000:]
        return done.stdout.splitlines()[0]

    def inspect(self, run):
        return json.loads(self.flowspec("inspect", run, "--json").stdout)


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """Runs of every kind the pages show: values of each preview's kind, a failed foreach, two
    movie runs with different params."""
    made = Store(tmp_path_factory.mktemp("browser") / "store")
    made.runs = {
        "gallery": made.run("gallery.yaml", "--tag", "<script>window.__pwned = 1</script>"),
        "fails": made.run("fails.yaml", status=1),
        "movies3": made.run(str(ROOT / "examples/movies/movies.yaml"), "-p", "top=3"),
        "movies5": made.run(str(ROOT / "examples/movies/movies.yaml"), "-p", "top=5"),
    }
    return made


@pytest.fixture(scope="session")
def ui(store):
    """`flowspec ui --port 0` on the store: its address, while the session lasts."""
    server = subprocess.Popen([store.binary, "ui", "--port", "0", "--store", str(store.path)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    address = server.stdout.readline().strip()
    if not address.startswith("http://127.0.0.1:"):
        server.kill()
        pytest.fail(f"flowspec ui did not start: {address} {server.stderr.read()}")
    yield address
    server.terminate()
    assert server.wait(timeout=30) == 0, server.stderr.read()


@pytest.fixture(scope="session")
def browser():
    chromium = Browser()
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser, request):
    """A tab; its screenshot is saved, whatever the test found, as the test's output."""
    tab = browser.page()
    yield tab
    try:
        tab.screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))
    finally:
        tab.close()
