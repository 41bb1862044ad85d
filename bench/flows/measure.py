#!/usr/bin/env python3
"""Run one benchmark command in a fresh temporary directory and print one TSV row.

usage: measure.py [--pre CMD_JSON] [--store-dir NAME] [--log FILE] [--watch-self-rss] -- COMMAND...

  --pre CMD_JSON   a command (JSON list) run first in the same directory, untimed, its exit status
                   ignored (the failing run before a resume)
  --store-dir NAME the store folder the command creates in its cwd (.flowspec, .metaflow), measured
                   after the run: disk blocks (du -s) and file count
  --log FILE       where the timed command's stdout+stderr go (default: discarded)
  --watch-self-rss also report the peak RSS of the command's own process, its descendants left
                   out: /proc/PID/status VmHWM of the direct child, read every ~20 ms until it
                   exits (the last value read; VmHWM only grows)

Prints: wall_s  peak_rss_kib  exit  store_kib  store_files  [self_peak_rss_kib]
Wall is time.perf_counter around the whole process. Peak RSS is the largest single process among
the command and its descendants (getrusage(RUSAGE_CHILDREN).ru_maxrss, what GNU time's %M
reports); the untimed --pre command runs in a forked child so it does not count.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def du(path):
    if not os.path.isdir(path):
        return 0, 0
    blocks, files = 0, 0
    for root, dirs, names in os.walk(path):
        for n in names + dirs:
            try:
                st = os.lstat(os.path.join(root, n))
            except FileNotFoundError:
                continue
            blocks += st.st_blocks
            if n in names:
                files += 1
    return blocks // 2, files  # st_blocks are 512-byte units


def vm_hwm(pid):
    """The process's peak RSS so far in KiB (VmHWM), or None once it has exited (a zombie has none)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def run_watching(cmd, cwd, out, interval=0.02):
    """Run cmd; return (exit status, its own VmHWM as last read before it exited)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    while True:
        # Read before reaping: once waited for, the pid is gone (or reused).
        hwm = vm_hwm(p.pid)
        if hwm is not None:
            peak = max(peak, hwm)
        try:
            return p.wait(timeout=interval), peak
        except subprocess.TimeoutExpired:
            pass


def timed_child(cmd, cwd, log, watch_self=False):
    """Fork, so that RUSAGE_CHILDREN in the child covers only the timed command."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        out = open(log, "wb") if log else subprocess.DEVNULL
        self_rss = None
        t0 = time.perf_counter()
        if watch_self:
            rc, self_rss = run_watching(cmd, cwd, out)
        else:
            rc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode
        wall = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        os.write(w, json.dumps([wall, rss, rc, self_rss]).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 4096):
        data += chunk
    os.waitpid(pid, 0)
    return json.loads(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pre")
    ap.add_argument("--store-dir", default="")
    ap.add_argument("--log")
    ap.add_argument("--watch-self-rss", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    d = tempfile.mkdtemp(prefix="flows-bench-", dir=os.environ.get("BENCH_TMP"))
    try:
        if a.pre:
            subprocess.run(json.loads(a.pre), cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, rss, rc, self_rss = timed_child(cmd, d, a.log, a.watch_self_rss)
        kib, files = du(os.path.join(d, a.store_dir)) if a.store_dir else (0, 0)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    row = f"{wall:.4f}\t{rss}\t{rc}\t{kib}\t{files}"
    print(row + (f"\t{self_rss}" if a.watch_self_rss else ""))


if __name__ == "__main__":
    sys.exit(main())
