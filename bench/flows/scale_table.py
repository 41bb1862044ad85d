#!/usr/bin/env python3
"""Print the scale curve's table from its raw rows (bench/flows/scale.sh).

usage: scale_table.py SCALE-RESULTS.tsv
"""
import sys

rows = []
for line in open(sys.argv[1]):
    if line.startswith("n\t"):
        continue
    n, wall, rss, rc, kib, files, self_rss = line.rstrip("\n").split("\t")
    rows.append((int(n), float(wall), int(rss), int(rc), int(kib), int(files), int(self_rss)))
rows.sort()

mib = lambda kib: f"{kib / 1024:.0f} MiB"
print()
print("| tasks (N) | wall | wall / N | marginal per task | scheduler peak RSS | peak RSS, any process | store | exit |")
print("|---|---|---|---|---|---|---|---|")
prev = None
for n, wall, rss, rc, kib, files, self_rss in rows:
    marginal = "–"
    if prev and n > prev[0]:
        marginal = f"{1000 * (wall - prev[1]) / (n - prev[0]):.3f} ms"
    status = "0" if rc == 0 else f"**{rc}**"
    print(f"| {n:,} | {wall:.2f} s | {1000 * wall / n:.3f} ms | {marginal} | {mib(self_rss)} | {mib(rss)} | "
          f"{kib / 1024:.1f} MiB, {files:,} files | {status} |")
    prev = (n, wall)
print()
print("One run per point, `--max-workers 2`. wall / N includes the run's fixed cost (process start, "
      "spec check, workers' start); marginal per task is (wall − wall of the previous point) / (N − previous N).")
print("Scheduler peak RSS: the `flowspec run` process alone (its VmHWM in /proc, polled every ~20 ms); "
      "peak RSS, any process: getrusage of all waited-for descendants, workers included.")
ok = [r for r in rows if r[3] == 0]
if rows:
    big = rows[-1]
    verdict = "completed" if big[3] == 0 else f"failed (exit {big[3]})"
    print(f"Largest point, N={big[0]:,}: {verdict}; scheduler peak over all points "
          f"{max(r[6] for r in rows) * 1024 / 1e6:.0f} MB (target: under 500 MB).")
if len(ok) >= 2:
    lo, hi = ok[0], ok[-1]
    print(f"wall / N from N={lo[0]:,} to N={hi[0]:,}: {1000 * lo[1] / lo[0]:.3f} → {1000 * hi[1] / hi[0]:.3f} ms "
          f"({(hi[1] / hi[0]) / (lo[1] / lo[0]):.2f}x; target: flat).")
