#!/usr/bin/env bash
# `isolate: true` (docs/spec.md, step keys): the foreach of TASKS trivial tasks (default 200) of
# bench/flows/foreach.yaml, its tasks in the warm workers, against bench/isolate/flow.yaml, the
# same flow with each task of its foreach step in a fresh interpreter process. Runs the two
# alternately RUNS times (default 5) into fresh stores; prints the median wall time of each
# and the cost of isolation per task: (isolated − warm) / TASKS.
#
# usage: bench/isolate/run.sh [--tasks N] [--runs N]
#
# Environment: FLOWSPEC (default .build/release/flowspec, built when missing), VENV (default
# bench/.venv: its python3 runs the steps when it exists), WORK (default bench/.work/isolate).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
TASKS=200 RUNS=5
WORK="${WORK:-$ROOT/bench/.work/isolate}"
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) TASKS="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=../flows/common.sh
. "$ROOT/bench/flows/common.sh"
fs_setup
rm -rf "$WORK" && mkdir -p "$WORK"

# Seconds one `flowspec run` of SPEC takes into a fresh store, to the millisecond.
run_once() {
  local started ended
  rm -rf "$WORK/store"
  started=$(date +%s%N)
  PATH="$FS_PATH" "$FS" run "$1" --store "$WORK/store" -q -p "N=$TASKS" > /dev/null 2> "$WORK/last.err" \
    || { cat "$WORK/last.err" >&2; exit 1; }
  ended=$(date +%s%N)
  printf '%.3f\n' "$(echo "scale=4; ($ended - $started) / 1000000000" | bc)"
}


: > "$WORK/warm" && : > "$WORK/isolated"
for _ in $(seq "$RUNS"); do
  run_once bench/flows/foreach.yaml >> "$WORK/warm"
  run_once bench/isolate/flow.yaml >> "$WORK/isolated"
done
warm=$(median < "$WORK/warm")
isolated=$(median < "$WORK/isolated")

echo "$FS_PY_NOTE; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| foreach of $TASKS trivial tasks | wall (median of $RUNS) | per task |"
echo "|---|---|---|"
echo "| warm workers (the default) | ${warm} s | $(printf '%.2f' "$(echo "scale=5; $warm * 1000 / $TASKS" | bc)") ms |"
echo "| isolate: true (a fresh interpreter per task) | ${isolated} s | $(printf '%.2f' "$(echo "scale=5; $isolated * 1000 / $TASKS" | bc)") ms |"
echo "| cost of isolation per task: (isolated − warm) / $TASKS | | $(printf '%.1f' "$(echo "scale=5; ($isolated - $warm) * 1000 / $TASKS" | bc)") ms |"
