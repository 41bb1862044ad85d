"""The built `flowspec` binary, for the tests that make real stores with it:
`.build/debug/flowspec`, or `$FLOWSPEC_BIN`."""
import os
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("FLOWSPEC_BIN") or REPO / ".build" / "debug" / "flowspec")

if not BINARY.exists():  # a failure, not a skip: these tests are the client's only check
    raise RuntimeError(f"build the binary first: {BINARY} (swift build), or set FLOWSPEC_BIN")


def flowspec(*arguments, cwd, env=None, check=True):
    """Runs the binary; `env` adds to (or, with None values, removes from) this environment."""
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    result = subprocess.run([str(BINARY), *map(str, arguments)], cwd=cwd, capture_output=True, text=True,
                            timeout=300, env=environment)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def flowspec_run(spec, store, *arguments, cwd=None, check=True, env=None):
    """`flowspec run SPEC --store STORE …` from the spec's folder."""
    return flowspec("run", spec, "--store", store, *arguments, cwd=cwd or pathlib.Path(spec).parent,
                    env=env, check=check)


def run_id(result):
    """`FLOW/ID`, the first line `flowspec run` prints."""
    return result.stdout.splitlines()[0]
