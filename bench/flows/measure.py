#!/usr/bin/env python3
"""Run one benchmark command in a fresh temporary directory and print one TSV row.

usage: measure.py [--pre CMD_JSON] [--store-dir NAME] [--log FILE] [--watch-self-rss]
                  [--watch-tree-rss [--tree-also PID]...] -- COMMAND...

  --pre CMD_JSON   a command (JSON list) run first in the same directory, untimed, its exit status
                   ignored (the failing run before a resume)
  --store-dir NAME the store folder the command creates in its cwd (.flowspec, .metaflow), measured
                   after the run: disk blocks (du -s) and file count
  --log FILE       where the timed command's stdout+stderr go (default: discarded)
  --watch-self-rss also report the peak RSS of the command's own process, its descendants left
                   out: /proc/PID/status VmHWM of the direct child, read every ~20 ms until it
                   exits (the last value read; VmHWM only grows)
  --watch-tree-rss also report the peak memory of the whole process tree: the summed RSS of the
                   command and all its descendants, read from /proc every ~100 ms until it exits,
                   or the largest single process's peak (below) when that is larger
  --tree-also PID  count that process's tree too (a server the command talks to); repeatable

Prints: wall_s  peak_rss_kib  exit  store_kib  store_files  [self_peak_rss_kib]  [tree_peak_rss_kib]
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


def tree_rss(roots):
    """The summed RSS in KiB of the roots and all their descendants (parents from /proc/*/stat)."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (comm) state"
            children.setdefault(ppid, []).append(int(name))
    pages, todo = 0, list(roots)
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                pages += int(f.read().split()[1])
        except OSError:
            pass
    return pages * (os.sysconf("SC_PAGE_SIZE") // 1024)


def run_watching(cmd, cwd, out, samplers, interval):
    """Run cmd; return (exit status, [the largest value each sampler(pid) read before it exited])."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    peaks = [0] * len(samplers)
    while True:
        # Read before reaping: once waited for, the pid is gone (or reused).
        for i, sample in enumerate(samplers):
            value = sample(p.pid)
            if value is not None:
                peaks[i] = max(peaks[i], value)
        try:
            return p.wait(timeout=interval), peaks
        except subprocess.TimeoutExpired:
            pass


def timed_child(cmd, cwd, log, watch_self=False, watch_tree=None):
    """Fork, so that RUSAGE_CHILDREN in the child covers only the timed command."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        out = open(log, "wb") if log else subprocess.DEVNULL
        samplers = [vm_hwm] if watch_self else []
        if watch_tree is not None:
            samplers.append(lambda pid: tree_rss([pid] + watch_tree))
        t0 = time.perf_counter()
        if samplers:
            # a scan of /proc takes a few ms: the tree is sampled less often than one process
            rc, peaks = run_watching(cmd, cwd, out, samplers, 0.02 if watch_tree is None else 0.1)
        else:
            rc, peaks = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode, []
        wall = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        os.write(w, json.dumps([wall, rss, rc, peaks]).encode())
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
    ap.add_argument("--watch-tree-rss", action="store_true")
    ap.add_argument("--tree-also", type=int, action="append", default=[])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    d = tempfile.mkdtemp(prefix="flows-bench-", dir=os.environ.get("BENCH_TMP"))
    try:
        if a.pre:
            subprocess.run(json.loads(a.pre), cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, rss, rc, peaks = timed_child(cmd, d, a.log, a.watch_self_rss, a.tree_also if a.watch_tree_rss else None)
        kib, files = du(os.path.join(d, a.store_dir)) if a.store_dir else (0, 0)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if a.watch_tree_rss:  # a run shorter than the sampling interval may be caught at its start only
        peaks[-1] = max(peaks[-1], rss)
    print("\t".join(str(x) for x in [f"{wall:.4f}", rss, rc, kib, files] + peaks))


if __name__ == "__main__":
    sys.exit(main())
