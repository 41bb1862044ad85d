#!/usr/bin/env bash
# The cache (docs/spec.md, "Cache, explain and resume"): a foreach of TASKS tasks (default 500)
# with `cache: true`, run once into a fresh store (every task runs), then again RUNS times
# (default 5; every task is taken from the cache). Prints the median wall time of each, their
# ratio, and the scheduler's cost per reused task: the difference between a cached run of BIG
# tasks (default 5,000) and one of SMALL tasks (default 10), over BIG - SMALL, so what every run
# pays whatever its size (start-up, the check of the steps' Python, the store) drops out.
#
# usage: bench/cache/run.sh [--tasks N] [--big N] [--small N] [--runs N]
#
# Environment: FLOWSPEC (default .build/release/flowspec, built when missing), VENV (default
# bench/.venv: its python3 runs the steps when it exists), WORK (default bench/.work/cache).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
TASKS=500 BIG=5000 SMALL=10 RUNS=5
WORK="${WORK:-$ROOT/bench/.work/cache}"
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) TASKS="$2"; shift ;;
    --big) BIG="$2"; shift ;;
    --small) SMALL="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=../flows/common.sh
. "$ROOT/bench/flows/common.sh"
fs_setup
rm -rf "$WORK" && mkdir -p "$WORK"
SPEC="$ROOT/bench/cache/flow.yaml"

# Seconds one `flowspec run` takes, to the millisecond.
run_once() {
  local started ended
  started=$(date +%s%N)
  PATH="$FS_PATH" "$FS" run "$SPEC" --store "$WORK/store" -q -p "N=$1" "${@:2}" > /dev/null 2> "$WORK/last.err" \
    || { cat "$WORK/last.err" >&2; exit 1; }
  ended=$(date +%s%N)
  printf '%.3f\n' "$(echo "scale=4; ($ended - $started) / 1000000000" | bc)"
}


first=$(run_once "$TASKS")
run_once "$SMALL" > /dev/null  # their own first runs, so that their runs below are all cached
run_once "$BIG" > /dev/null
cached=$(for _ in $(seq "$RUNS"); do run_once "$TASKS"; done | median)
small=$(for _ in $(seq "$RUNS"); do run_once "$SMALL"; done | median)
big=$(for _ in $(seq "$RUNS"); do run_once "$BIG"; done | median)
uncached=$(for _ in $(seq "$RUNS"); do run_once "$TASKS" --no-cache; done | median)
reused=$("$FS" explain latest --store "$WORK/store" --json | python3 -c 'import json,sys; print(sum(t["code"] == "reused" for t in json.load(sys.stdin)["tasks"]))')

echo "$FS_PY_NOTE; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| foreach of $TASKS, cache: true | wall (median of $RUNS) |"
echo "|---|---|"
echo "| first run, into an empty store (every task runs) | ${first} s (1 run) |"
echo "| again with --no-cache (every task runs, warm disk cache) | ${uncached} s |"
echo "| again, every task taken from the cache | ${cached} s |"
echo "| cached run / --no-cache run | $(printf '%.2f' "$(echo "scale=4; $cached / $uncached" | bc)") |"
echo "| cached run of $SMALL tasks / of $BIG tasks | ${small} s / ${big} s |"
echo "| scheduler's cost per reused task: (cached $BIG − cached $SMALL) / $((BIG - SMALL)) | $(printf '%.3f' "$(echo "scale=5; ($big - $small) * 1000 / ($BIG - $SMALL)" | bc)") ms |"
echo
echo "(the last --no-cache run's $reused tasks were reused: $( [ "$reused" = 0 ] && echo "none, as it should be" || echo "WRONG"))"
