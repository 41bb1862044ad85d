#!/usr/bin/env bash
# Scale curve: flowspec alone on foreach flows of 1,000, 10,000 and 100,000 trivial tasks.
#
# usage: bench/flows/scale.sh [--quick] [--points N,N,...]
#
#   --quick        leave out the 100,000-task point (1,000 and 10,000 only)
#   --points LIST  comma-separated foreach sizes (default 1000,10000,100000)
#
# Environment:
#   FLOWSPEC     the flowspec binary (default .build/release/flowspec, built if missing)
#   VENV         the venv whose python3 flowspec's workers run, when it exists (default bench/.venv)
#   MAX_WORKERS  tasks at once (default 2, as in run.sh)
#
# Each point is one run of `flowspec run bench/flows/foreach.yaml -p N=N --max-workers 2` in a
# fresh temporary directory (measure.py --watch-self-rss). Reported: wall, wall / N, the
# scheduler's own peak RSS (the `flowspec run` process alone: its /proc VmHWM, polled every
# ~20 ms), the peak RSS of any process of the run (workers included), the store's size.
# Target (DESIGN.md): 100,000 tasks complete, the scheduler stays under 500 MB, and the time per
# task does not grow with N. Raw rows: bench/.work/scale-results.tsv.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/flows"
WORK="$ROOT/bench/.work"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
MAX_WORKERS="${MAX_WORKERS:-2}"
POINTS="1000,10000,100000"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) POINTS="1000,10000" ;;
    --points) POINTS="$2"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a NS <<< "$POINTS"
for n in "${NS[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "not a task count: $n" >&2; exit 2; }
done

mkdir -p "$WORK/scale-logs"
# shellcheck source=common.sh
. "$HERE/common.sh"
fs_setup

HEADER="# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo); flowspec $("$FS" --version); --max-workers $MAX_WORKERS"
HEADER+=$'\n'"# $FS_PY_NOTE"
echo "$HEADER" >&2

RESULTS="$WORK/scale-results.tsv"
printf 'n\twall_s\tpeak_rss_kib\texit\tstore_kib\tstore_files\tself_peak_rss_kib\n' > "$RESULTS"
for n in "${NS[@]}"; do
  splits=()
  [ "$n" -le 100000 ] || splits=(--max-splits "$n")   # flowspec's default limit is 100000
  log="$WORK/scale-logs/foreach-$n.log"
  echo "[scale] foreach N=$n, 1 run (log: $log)" >&2
  row="$(PATH="$FS_PATH" python3 "$HERE/measure.py" --watch-self-rss --store-dir .flowspec --log "$log" -- \
         "$FS" run "$HERE/foreach.yaml" -p "N=$n" --max-workers "$MAX_WORKERS" "${splits[@]}")"
  rc="$(cut -f3 <<< "$row")"
  [ "$rc" = 0 ] || echo "!! foreach N=$n exited $rc (log: $log)" >&2
  printf '%s\t%s\n' "$n" "$row" >> "$RESULTS"
done

echo "$HEADER"
python3 "$HERE/scale_table.py" "$RESULTS"
echo "# raw rows: $RESULTS" >&2
