"""`pip install ./python` the way a Python user installs flowspec: a platform wheel that carries the
`flowspec` binary as its script (python/hatch_build.py builds it with SwiftPM's release build,
quick when that is current), installed into a fresh `python3 -m venv`."""
import json
import os
import pathlib
import re
import stat
import subprocess
import sys
import sysconfig
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
VERSION = re.search(r'^version = "([^"]+)"', (REPO / "python" / "pyproject.toml").read_text(), re.M).group(1)
PLATFORM = sysconfig.get_platform().replace("-", "_").replace(".", "_")


def environment(**changes):
    variables = {k: v for k, v in os.environ.items() if not k.startswith("FLOWSPEC_") and k != "VIRTUAL_ENV"}
    variables.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore", **changes)
    return variables


def run(arguments, cwd, **changes):
    result = subprocess.run([str(a) for a in arguments], cwd=cwd, env=environment(**changes),
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{arguments}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("install") / "venv"
    run([sys.executable, "-m", "venv", folder], cwd=REPO)
    return folder


def test_the_wheel_is_for_this_platform_and_carries_the_binary_as_its_script(venv, tmp_path):
    run([venv / "bin" / "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, "./python"], cwd=REPO)
    wheels = list(tmp_path.glob("*.whl"))
    assert [w.name for w in wheels] == [f"flowspec-{VERSION}-py3-none-{PLATFORM}.whl"]
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        script = wheel.getinfo(f"flowspec-{VERSION}.data/scripts/flowspec")
        assert (script.external_attr >> 16) & stat.S_IXUSR, "the binary is executable"
        assert wheel.read(script)[:4] == b"\x7fELF"
        assert "Root-Is-Purelib: false" in wheel.read(f"flowspec-{VERSION}.dist-info/WHEEL").decode()
    assert "flowspec/client/__init__.py" in names and "flowspec/_runtime/handler.py" in names
    assert not [n for n in names if "hatch_build" in n or "/tests/" in n], names


def test_pip_install_gives_the_flowspec_command_and_the_client(venv, tmp_path):
    run([venv / "bin" / "pip", "install", "-q", "./python"], cwd=REPO)
    command = venv / "bin" / "flowspec"
    assert run([command, "--version"], cwd=tmp_path).strip() == VERSION

    # From another folder, the venv activated: `flowspec` on PATH, the steps in the venv's python3.
    spec = REPO / "examples" / "movies" / "movies.yaml"
    activated = dict(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    out = run(["flowspec", "run", spec, "-p", "top=2"], cwd=tmp_path, **activated)
    run_id = out.splitlines()[0]
    assert "| **Sci-Fi** | 6 |" in out, out
    inspected = json.loads(run(["flowspec", "inspect", run_id, "--json"], cwd=tmp_path, **activated))
    assert [e["python"]["executable"] for e in inspected["environments"]] == [str(venv / "bin" / "python3")], inspected

    # The venv's own command also runs without the venv active (its workers then use PATH's python3).
    latest_id = run([command, "run", spec], cwd=tmp_path).splitlines()[0]
    assert latest_id != run_id

    # The client, imported in the venv, reads both runs from the store they made.
    read = (f"from flowspec import Flow; flow = Flow('MovieStats'); first = flow['{run_id.split('/')[1]}']; "
            "print(flow.latest_run.id, first.id, first.status, first.params['top'])")
    said = run([venv / "bin" / "python", "-c", read], cwd=tmp_path).split()
    assert said == [latest_id.split("/")[1], run_id.split("/")[1], "completed", "2"]
