#!/usr/bin/env python3
"""Print the peers' table (bench/peers/run.sh) from its raw rows.

usage: table.py PEERS-RESULTS.tsv SCENARIO,... SIDE,... [SERVER_DB_KIB]
"""
import statistics
import sys

SIDES = {"flowspec": "flowspec", "floor": "raw floor", "floor-fsync": "raw floor, fsync per blob",
         "dask": "Dask distributed", "prefect-server": "Prefect 3 + server",
         "prefect-ephemeral": "Prefect 3 ephemeral", "metaflow": "Metaflow"}
SCENARIOS = {"startup": "start-up: one task that does nothing", "linear": "linear, 4 steps",
             "bigartifact": "400 MB array, written and read back"}
SKIPS = {"prefect-slow": "Prefect at 10,000 tasks is not run by default (minutes a run: ephemeral took 211 s in "
                        "issue 18's measurement); `--slow` runs it.",
         "metaflow-slow": "Metaflow above 100 tasks is not run (~280 ms a task, about 5 minutes a run at 1,000; "
                          "bench/flows times it up to 500).",
         "metaflow-quick": "Metaflow's foreach is not run with `--quick` (30–80 s a run at 100 tasks here).",
         "not-installed": "Not installed in the venv: `bench/peers/run.sh --install`."}

path, wanted, sides = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
server_db = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
rows, skipped = {}, {}
for line in open(path):
    f = line.rstrip("\n").split("\t")
    if f[0] == "scenario":
        continue
    if f[2] == "skipped":
        skipped[(f[0], f[1])] = f[3]
        continue
    wall, rss, rc, kib, files, tree, load = float(f[3]), *map(int, f[4:9]), float(f[9])
    rows.setdefault((f[0], f[1]), []).append((wall, rc, kib, files, tree, load))


def stats(key):
    """Figures over the runs that succeeded; a failed run's time is not that of the work."""
    r = rows.get(key)
    if not r:
        return None
    ok = [x for x in r if x[1] == 0]
    st = {"walls": [x[0] for x in ok], "bad": len(r) - len(ok)}
    if ok:
        st.update(med=statistics.median(st["walls"]), kib=statistics.median(x[2] for x in ok),
                  files=statistics.median(x[3] for x in ok), tree=max(x[4] for x in ok) / 1024,
                  loads=[x[5] for x in ok])
    return st


def spread(values, fmt):
    mid = fmt(statistics.median(values))
    return mid if len(values) == 1 else f"{mid} ({fmt(min(values))}–{fmt(max(values))})"


def wall_cell(st):
    t = f"{spread(st['walls'], lambda w: f'{w:.3f}')} s, n={len(st['walls'])}"
    return t + (f", **{st['bad']} failed** (left out)" if st["bad"] else "")


def store_cell(side, st):
    if side == "dask":
        return "nothing stored"
    size = f"{st['kib']:.0f} KiB" if st["kib"] < 1024 else f"{st['kib'] / 1024:.1f} MiB"
    return f"{size}, {st['files']:,.0f} files"


notes = []


def mark(reason):
    if reason not in notes:
        notes.append(reason)
    return f"— ({notes.index(reason) + 1})"


print()
print("| scenario | peer | wall, median (min–max) | / flowspec | load | peak memory, process tree | store |")
print("|---|---|---|---|---|---|---|")
for s in wanted:
    name = SCENARIOS.get(s) or f"foreach of {int(s.split('-')[1]):,}"
    base = stats((s, "flowspec"))
    base = base if base and base["walls"] else None
    for side in sides:
        st = stats((s, side))
        if st is not None and not st["walls"]:
            print(f"| {name} | {SIDES[side]} | **failed** ({st['bad']} of {st['bad']} runs) | | | | |")
            continue
        if st is None:
            why = skipped.get((s, side))
            print(f"| {name} | {SIDES[side]} | {mark(why) if why else '–'} | | | | |")
            continue
        ratio = f"{st['med'] / base['med']:.2f}×" if base else "–"
        print(f"| {name} | {SIDES[side]} | {wall_cell(st)} | {ratio} | {spread(st['loads'], lambda x: f'{x:.2f}')} "
              f"| {st['tree']:,.0f} MiB | {store_cell(side, st)} |")
timed = lambda key: stats(key) if stats(key) and stats(key)["walls"] else None
lo_hi = [(timed(("foreach-1000", side)), timed(("foreach-10000", side))) for side in sides]
if "flowspec" in sides and all(lo_hi[sides.index("flowspec")]):
    lo, hi = lo_hi[sides.index("flowspec")]
    base = (hi["med"] - lo["med"]) / 9000
    for side, (lo, hi) in zip(sides, lo_hi):
        if lo and hi:
            per = (hi["med"] - lo["med"]) / 9000
            print(f"| per task, 1,000 → 10,000 | {SIDES[side]} | {1000 * per:.3f} ms | {per / base:.2f}× | | | |")
print()
for i, reason in enumerate(notes):
    print(f"({i + 1}) {SKIPS.get(reason, reason)}")
print("Every side runs the same venv's Python, the runs alternating side by side; the engines run 2 tasks at once, "
      "the floor is one process running one task after another. Metaflow's start-up flow is start → end, its least.")
print("/ flowspec: the median wall over flowspec's median wall in the same scenario of this run.")
print("Load: /proc/loadavg's 1-minute average, read before each timed run (the benchmark's own runs count in it).")
print("Peak memory: the summed RSS of the run's whole process tree (shared pages count once per process), sampled "
      "from /proc every ~100 ms, or the largest single process's getrusage peak when larger; the largest over the "
      "runs. Prefect + server: the server's process tree is counted too.")
db = f"; the server's own home held {server_db / 1024:.1f} MiB after all runs" if server_db is not None else ""
print("Store: disk blocks (du -s) and files left in the run's folder: .flowspec, .floor, .metaflow, .prefect "
      f"(ephemeral: its database too; with the server, the persisted results only{db}). Dask keeps values in its "
      "workers' memory. 400 MB array: Prefect persists it but hands the next task the value in memory.")
print("per task, 1,000 → 10,000: (median wall at 10,000 − median wall at 1,000) / 9,000.")
