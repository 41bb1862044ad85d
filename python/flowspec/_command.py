"""Runs and lint from Python (a script, a notebook) through the `flowspec` command:
`flowspec.run(spec, params={...})` returns the finished run's `Run`, `flowspec.lint(spec)` the
findings. The command is `$FLOWSPEC_BIN` where set, else `flowspec` on PATH."""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any, Iterable, Mapping, Optional, Union

from .client import FlowspecError, Run
from .client._store import default_store_path

PathLike = Union[str, "os.PathLike[str]"]
_RUN_ID = re.compile(r"[^/\s]+/[0-9]{8}-[0-9]{6}-[0-9a-f]+")


class CommandNotFoundError(FlowspecError, FileNotFoundError):
    """No `flowspec` command: not on PATH, or `$FLOWSPEC_BIN` names no program."""

    def __str__(self):
        return self.args[0] if self.args else ""


class RunFailedError(FlowspecError):
    """`flowspec.run` did not complete the flow. `run` is the Run when one was recorded (a task
    failed, the run was stopped), else None (the spec or a param was refused before it began);
    the message says why: each failing task with its error and traceback, or the command's."""

    def __init__(self, message: str, run: Optional[Run] = None, exit_status: Optional[int] = None):
        super().__init__(message)
        self.run = run
        self.exit_status = exit_status


@dataclass(frozen=True)
class Finding:
    """One finding of `flowspec lint`, as its `--format json` prints it."""
    code: str
    severity: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    hint: Optional[str] = None
    notes: tuple = ()

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        return text + (f"\n   hint: {self.hint}" if self.hint else "")


def command() -> str:
    """The `flowspec` program: `$FLOWSPEC_BIN`, else `flowspec` on PATH."""
    given = os.environ.get("FLOWSPEC_BIN")
    if given:
        if not (os.path.isfile(given) and os.access(given, os.X_OK)):
            raise CommandNotFoundError(f"$FLOWSPEC_BIN is {given!r}, which is not an executable file")
        return given
    found = shutil.which("flowspec")
    if found is None:
        raise CommandNotFoundError(
            "the flowspec command is not on PATH: install it (`pip install ./python` in the flowspec "
            "repository, or scripts/setup.sh), or set $FLOWSPEC_BIN to the binary")
    return found


def run(spec: PathLike, params: Optional[Mapping[str, Any]] = None, store: Optional[PathLike] = None,
        tags: Iterable[str] = ()) -> Run:
    """Runs the flow of `spec` with `params` (name → value: a str as written on the command
    line, a bool, a number, or a list or dict for a `json` param) and returns its Run once it
    completed. What `flowspec run` prints is streamed as it comes (plain lines: the run id,
    each step's `✓` line, what tasks print). A run that fails raises RunFailedError with the
    failing tasks' errors; Ctrl-C (a notebook's interrupt) stops the run, then raises
    KeyboardInterrupt. `store` defaults as the client's does."""
    store_path = os.path.realpath(os.path.expanduser(os.fspath(store) if store is not None else default_store_path()))
    arguments = [command(), "run", os.fspath(spec), "--store", store_path]
    for name, value in (params or {}).items():
        arguments += ["-p", f"{name}={_param_text(name, value)}"]
    for tag in (tags if not isinstance(tags, str) else [tags]):
        arguments += ["--tag", str(tag)]
    status, run_id, errors = _stream(arguments)
    found = None if run_id is None else Run(run_id, store=store_path, _namespace_check=False)
    if status == 0 and found is not None:
        return found
    raise RunFailedError(_failure(found, status, errors), run=found, exit_status=status)


class StepFailedError(FlowspecError):
    """The step's function raised in `flowspec.step`: `error` has its kind, type, message and
    traceback."""

    def __init__(self, message: str, error: Mapping[str, str]):
        super().__init__(message)
        self.error = dict(error)


def step(spec: PathLike, step: str, from_run: str, index: Optional[Union[int, str]] = None,
         store: Optional[PathLike] = None) -> dict[str, Any]:
    """Runs `step`'s current function once on the inputs its task had in `from_run` (FLOW/ID,
    an id or `latest`), as `flowspec step` does, recording no run, and returns its outputs by
    name, unpickled: for a test of one step. `index` names a foreach task (`3`, `"2.0"`). What
    the function printed is copied to this process's stdout and stderr. Raises StepFailedError
    when the function raises, FlowspecError when the step, run or task is unknown."""
    store_path = os.path.realpath(os.path.expanduser(os.fspath(store) if store is not None else default_store_path()))
    arguments = [command(), "step", os.fspath(spec), step, "--from", str(from_run), "--store", store_path, "--json"]
    if index is not None:
        arguments += ["--index", str(index)]
    result = subprocess.run(arguments, capture_output=True, text=True)
    if not result.stdout.strip():
        raise FlowspecError(f"flowspec step exited {result.returncode}: {result.stderr.strip()}")
    answer = json.loads(result.stdout)
    sys.stdout.write(answer["stdout"])
    sys.stderr.write(answer["stderr"])
    if answer["error"]:
        error = answer["error"]
        raise StepFailedError(f"step '{step}' raised {error['type'] or error['kind']}: {error['message']}\n"
                              f"{error['traceback']}".rstrip(), error)
    from ._runtime import snapshot
    from .client._store import Store
    values = Store(store_path)
    snapshot.register(store_path, answer["code"])  # the step's files as they are now
    run_id = answer["from"].split("/", 1)[1]
    return {name: values.load_value(ref["blob"], f"output '{name}' of step '{step}'", run=run_id)
            for name, ref in answer["outputs"].items()}


def lint(spec: PathLike, deep: bool = False, store: Optional[PathLike] = None) -> list[Finding]:
    """The findings of `flowspec lint SPEC --format json` (`--deep`: also the steps' Python,
    read in each step's environment as built in `store`), sorted as lint sorts them; [] for a
    clean spec. Raises FlowspecError when lint itself cannot run (exit status 2)."""
    arguments = [command(), "lint", os.fspath(spec), "--format", "json"]
    if deep:
        arguments.append("--deep")
    if store is not None:
        arguments += ["--store", os.fspath(store)]
    result = subprocess.run(arguments, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise FlowspecError(f"flowspec lint exited {result.returncode}: {result.stderr.strip()}")
    return [_finding(record) for record in json.loads(result.stdout)]


def _finding(record: Mapping[str, Any]) -> Finding:
    return Finding(code=record["code"], severity=record["severity"], file=record["file"], line=record["line"],
                   column=record["column"], end_line=record.get("endLine", record["line"]),
                   end_column=record.get("endColumn", record["column"]), message=record["message"],
                   hint=record.get("hint"), notes=tuple(record.get("notes") or ()))


def _param_text(name: str, value: Any) -> str:
    """A param's value as `-p NAME=VALUE` takes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)  # inf, -inf, nan
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    try:
        return json.dumps(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"param {name!r}: a {type(value).__name__} cannot be given to flowspec run "
                        f"(give a str, bool, number, list or dict): {error}") from None


def _stream(arguments: list[str]) -> tuple[int, Optional[str], list[str]]:
    """Runs the command, copying its stdout and stderr here line by line; returns its exit
    status, the run id it printed first, and its stderr lines."""
    process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", errors="replace", bufsize=1)
    first, errors = [], []
    pumps = [threading.Thread(target=_pump, args=(process.stdout, sys.stdout, first), daemon=True),
             threading.Thread(target=_pump, args=(process.stderr, sys.stderr, errors), daemon=True)]
    for pump in pumps:
        pump.start()
    try:
        status = process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)  # the run stops its tasks and records them interrupted
        process.wait()
        raise
    finally:
        for pump in pumps:
            pump.join()
    run_id = first[0].strip() if first and _RUN_ID.fullmatch(first[0].strip()) else None
    return status, run_id, errors


def _pump(source: IO[str], sink: IO[str], kept: list) -> None:
    """Copies lines from `source` to `sink` as they come; keeps the first (stdout: the run id)
    or every one (stderr: the diagnostics)."""
    keep_all = sink is sys.stderr
    for line in source:
        if keep_all or not kept:
            kept.append(line)
        sink.write(line)
        sink.flush()
    source.close()


def _failure(run: Optional[Run], status: int, errors: list[str]) -> str:
    """Why the run did not complete: each failing task's error and traceback, or, before any
    run was recorded, what the command said."""
    if run is None:
        said = "".join(errors).strip() or "(it printed nothing on stderr)"
        return f"flowspec run exited {status} before a run began:\n{said}"
    if run.status == "interrupted":
        return f"{run.pathspec} was interrupted; what finished is kept (flowspec resume continues it)"
    lines = [f"{run.pathspec} {run.status}"]
    for line in (run.failure or "").splitlines():
        lines.append(f"  {line}")
        traceback = _traceback(run, line.split(": ", 1)[0])
        if traceback:
            lines.append("    " + traceback.rstrip("\n").replace("\n", "\n    "))
    return "\n".join(lines)


def _traceback(run: Run, task_name: str) -> str:
    step, _, label = task_name.partition("/")
    try:
        exception = run[step].task_at(label).exception
    except (KeyError, ValueError):
        return ""  # a scheduler's failure: no task holds it
    return exception.traceback if exception else ""
