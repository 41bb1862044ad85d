#!/usr/bin/env python3
"""Print the flow benchmark's table from its raw rows.

usage: table.py RESULTS.tsv HAVE_METAFLOW(0|1) SCENARIO,SCENARIO,...

Rows of several TSV files may be concatenated first (header lines are skipped).
"""
import statistics
import sys
path, have_mf, wanted = sys.argv[1], sys.argv[2] == "1", sys.argv[3].split(",")
rows = {}
for line in open(path):
    if line.startswith("scenario\t"):
        continue
    s, side, i, wall, rss, rc, kib, files = line.rstrip("\n").split("\t")
    rows.setdefault((s, side), []).append((float(wall), int(rss), int(rc), int(kib), int(files)))

def stats(key):
    r = rows.get(key)
    if not r:
        return None
    w = [x[0] for x in r]
    return {"med": statistics.median(w), "min": min(w), "max": max(w), "n": len(w),
            "rss": max(x[1] for x in r) / 1024, "bad": sum(1 for x in r if x[2]),
            "kib": statistics.median(x[3] for x in r), "files": statistics.median(x[4] for x in r)}

def secs(st):
    if st is None:
        return "–"
    t = f"{st['med']:.3f} s ({st['min']:.3f}–{st['max']:.3f}, n={st['n']})"
    return t + (f" **{st['bad']} failed**" if st["bad"] else "")

names = {"linear": "linear, 4 steps", "resume": "resume after a failure in `end`",
         "bigartifact": "400 MB random float64 artifact, written and read back"}
print()
print("| scenario | flowspec wall, median (min–max) | Metaflow wall, median (min–max) | Metaflow / flowspec "
      "| flowspec peak RSS | Metaflow peak RSS |")
print("|---|---|---|---|---|---|")
for s in wanted:
    fs, mf = stats((s, "flowspec")), stats((s, "metaflow"))
    name = names.get(s) or f"foreach, N={int(s.split('-')[1]):,} trivial tasks"
    mf_text = secs(mf)
    if mf is None and s == "foreach-10000":
        mf_text = "not run (Metaflow skipped above N=500)"
    elif mf is None and not have_mf:
        mf_text = "not run (no bench/.venv)"
    ratio = f"{mf['med'] / fs['med']:.1f}x" if fs and mf else "–"
    rss = lambda st: f"{st['rss']:.0f} MiB" if st else "–"
    print(f"| {name} | {secs(fs)} | {mf_text} | {ratio} | {rss(fs)} | {rss(mf)} |")
print()
for side in ("flowspec", "metaflow"):
    a, b = stats(("foreach-10", side)), stats(("foreach-500", side))
    if a and b:
        print(f"per-task overhead, {side}: (wall N=500 − wall N=10) / 490 = "
              f"({b['med']:.3f} − {a['med']:.3f}) / 490 = {1000 * (b['med'] - a['med']) / 490:.2f} ms")
for side in ("flowspec", "metaflow"):
    b = stats(("foreach-500", side))
    if b:
        print(f"store after foreach N=500, {side}: {b['kib'] / 1024:.1f} MiB in disk blocks (du -s), "
              f"{b['files']:.0f} files")
print()
print("Both sides run 2 tasks at once (`--max-workers 2`; Metaflow also `--max-num-splits 1000`).")
print("Peak RSS: the largest single process of a run (getrusage of waited-for descendants), max over runs.")
