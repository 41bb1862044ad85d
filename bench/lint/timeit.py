#!/usr/bin/env python3
"""Time a command: median, min and max wall time of repeated runs, as one JSON line.

usage: timeit.py [--runs N] [--warmup W] [--cwd DIR] -- COMMAND...

Uses hyperfine when it is installed (same runs and warm-ups), else a subprocess loop timed with
time.perf_counter. Output goes to /dev/null; a non-zero exit status is reported, not fatal.
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def with_hyperfine(cmd, runs, warmup, cwd):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        export = f.name
    try:
        subprocess.run(
            ["hyperfine", "--style", "none", "--ignore-failure", "-N", "--runs", str(runs),
             "--warmup", str(warmup), "--export-json", export, shlex.join(cmd)],
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        with open(export) as f:
            result = json.load(f)["results"][0]
        codes = result.get("exit_codes") or [0]
        return result["times"], max(codes, key=abs)
    finally:
        os.unlink(export)


def with_loop(cmd, runs, warmup, cwd):
    times, status = [], 0
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        elapsed = time.perf_counter() - t0
        status = status or rc
        if i >= warmup:
            times.append(elapsed)
    return times, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--cwd", default=None)
    ap.add_argument("--no-hyperfine", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    tool = "hyperfine" if shutil.which("hyperfine") and not a.no_hyperfine else "loop"
    run = with_hyperfine if tool == "hyperfine" else with_loop
    times, status = run(cmd, a.runs, a.warmup, a.cwd)
    print(json.dumps({"median": statistics.median(times), "min": min(times), "max": max(times),
                      "runs": len(times), "status": status, "tool": tool}))


if __name__ == "__main__":
    sys.exit(main())
