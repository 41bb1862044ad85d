#!/usr/bin/env bash
# gc of a large store: RUNS runs (default 100) of a foreach of TASKS tasks (default 500), each
# run's values its own, then `flowspec gc --keep-last KEEP` (default 10): its wall time and what
# it freed. Prints a markdown table.
#
# usage: bench/gc/run.sh [--runs N] [--tasks N] [--keep N] [--dir DIR] [--reuse]
#
#   --dir DIR  where the stores go (default bench/.work/gc): another file system, e.g. a tmpfs
#              such as /dev/shm/gc, shows what the file system's own deletions cost
#   --reuse    gc a copy of the store the last run built in DIR (DIR/built, same options)
#              instead of building it again
#
# Besides gc (dry, real, and again with nothing left), it times `rm -rf` of a copy of the
# store's blob folder: what deleting that many files costs on that file system, whoever does it.
#
# Environment: FLOWSPEC (default .build/release/flowspec, built with `swift build -c release`
# when missing), VENV (default bench/.venv: its python3 runs the steps when it exists),
# MAX_WORKERS (default 2). The store is built by running the binary, RUNS times
# `flowspec run bench/gc/flow.yaml -p N=TASKS -p seed=I`, into DIR/built (kept after).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
MAX_WORKERS="${MAX_WORKERS:-2}"
RUNS=100 TASKS=500 KEEP=10 REUSE=0 WORK="$ROOT/bench/.work/gc"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --tasks) TASKS="$2"; shift ;;
    --keep) KEEP="$2"; shift ;;
    --dir) WORK="$2"; shift ;;
    --reuse) REUSE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=../flows/common.sh
. "$ROOT/bench/flows/common.sh"
fs_setup

mkdir -p "$WORK" && WORK="$(cd "$WORK" && pwd)"
STORE="$WORK/store" BUILT="$WORK/built"
if [ "$REUSE" = 1 ] && [ -f "$BUILT/flowspec.db" ]; then
  rm -rf "$STORE"
else
  rm -rf "$WORK" && mkdir -p "$WORK"
  started=$(date +%s)
  for i in $(seq 1 "$RUNS"); do
    PATH="$FS_PATH" "$FS" run bench/gc/flow.yaml -p "N=$TASKS" -p "seed=$i" --max-workers "$MAX_WORKERS" -q \
      --store "$BUILT" > /dev/null 2>> "$WORK/runs.log" || { echo "run $i failed (log: $WORK/runs.log)" >&2; exit 1; }
    [ $((i % 10)) -ne 0 ] || echo "[gc] $i of $RUNS runs stored ($(( $(date +%s) - started )) s)" >&2
  done
fi
cp -a "$BUILT" "$STORE"
sync

# du (KiB) and files of the store
size() { echo "$(du -sk "$STORE" | cut -f1) KiB, $(find "$STORE" -type f | wc -l) files"; }
# seconds FILE COMMAND...: runs COMMAND with stdout to FILE; prints its wall time
seconds() {
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s%N); "$@" > "$out"; t1=$(date +%s%N)
  python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.3f}')" "$t0" "$t1"
}
field() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]] if sys.argv[2] != 'deleted_runs' else len(json.load(open(sys.argv[1]))['deleted_runs']))" "$1" "$2"; }
mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1048576:.1f} MiB')" "$1"; }

before="$(size)"
dry=$(seconds "$WORK/dry.json" "$FS" gc --keep-last "$KEEP" --dry-run --json --store "$STORE")
real=$(seconds "$WORK/gc.json" "$FS" gc --keep-last "$KEEP" --json --store "$STORE")
after="$(size)"
again=$(seconds "$WORK/again.json" "$FS" gc --keep-last "$KEEP" --json --store "$STORE")
rm -rf "$WORK/floor" && cp -a "$BUILT/blobs" "$WORK/floor" && sync
floor_files=$(find "$WORK/floor" -type f | wc -l)
floor=$(seconds /dev/null rm -rf "$WORK/floor")

echo "# machine: $(nproc) cores; flowspec $("$FS" --version); store: $RUNS runs × $TASKS tasks ($before) in $WORK ($(df -T "$WORK" | awk 'NR==2 {print $2}'))"
echo
# row LABEL SECONDS JSON: one row of the table
row() {
  echo "| $1 | $2 s | $(field "$3" deleted_runs) | $(field "$3" blobs) | $(mib "$(field "$3" blob_bytes)") | $(mib "$(field "$3" blob_disk_bytes)") |"
}
echo "| gc --keep-last $KEEP | wall | runs deleted | blobs freed | their bytes | their disk |"
echo "|---|---|---|---|---|---|"
row "--dry-run" "$dry" "$WORK/dry.json"
row "the gc" "$real" "$WORK/gc.json"
row "again, nothing left to do" "$again" "$WORK/again.json"
echo "| \`rm -rf\` of a copy of the $floor_files blob files, for comparison | $floor s | | | | |"
echo
echo "store before: $before; after: $after"
