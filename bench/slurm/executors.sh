#!/usr/bin/env bash
# Local against Slurm, on the same work: a foreach of 100 and of 1,000 trivial tasks
# (bench/slurm/foreach.yaml: only the foreach step goes to the executor under test) and the
# 400 MB array written by one step and summed by the next (bench/slurm/bigartifact.yaml), each
# run with the local executor, with Slurm pilots (--slurm-pilots PILOTS, default 2: the test
# node has 2 cpus) and with one Slurm job per task. One job per task is measured at 100 tasks
# only unless --jobs-at-1000 (about 1 s a job, 2 at a time here: minutes). Alternates the
# executors RUNS times (default 3), fresh store each run; prints median wall times, the ratio to
# local, and the per-task overhead over local: (wall - local wall) / tasks.
#
# usage: bench/slurm/executors.sh [--runs N] [--pilots N] [--jobs-at-1000]
#
# Uses the cluster SLURM_CONF names, else starts the test cluster (scripts/slurm/start.sh) and
# stops it at the end. Environment: FLOWSPEC (default .build/release/flowspec, built when
# missing), VENV (default bench/.venv), WORK (default bench/.work/slurm: the store must be on a
# filesystem the nodes see; here the node is this machine).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
RUNS=3 PILOTS=2 JOBS_AT_1000=0
WORK="${WORK:-$ROOT/bench/.work/slurm}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --pilots) PILOTS="$2"; shift ;;
    --jobs-at-1000) JOBS_AT_1000=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=../flows/common.sh
. "$ROOT/bench/flows/common.sh"
fs_setup
rm -rf "$WORK" && mkdir -p "$WORK"
if [ -z "${SLURM_CONF:-}" ]; then
  scripts/slurm/install.sh >&2
  eval "$(scripts/slurm/start.sh)"
  trap 'scripts/slurm/stop.sh "$FLOWSPEC_SLURM_DIR"' EXIT
fi

# Seconds one run of SPEC takes with the executor options given, into a fresh store.
run_once() {
  local spec="$1" started ended
  shift
  rm -rf "$WORK/store"
  started=$(date +%s%N)
  PATH="$FS_PATH" "$FS" run "$spec" --store "$WORK/store" -q "$@" > /dev/null 2> "$WORK/last.err" \
    || { cat "$WORK/last.err" >&2; exit 1; }
  ended=$(date +%s%N)
  printf '%.3f\n' "$(echo "scale=4; ($ended - $started) / 1000000000" | bc)"
}

ratio() { printf '%.1f' "$(echo "scale=4; $1 / $2" | bc)"; }
per_task() { printf '%.1f' "$(echo "scale=5; ($1 - $2) * 1000 / $3" | bc)"; }

declare -A wall
measure() {  # measure NAME SPEC OPTIONS...
  local name="$1" file="$WORK/$1.times"
  shift
  run_once "$@" >> "$file"
}

for _ in $(seq "$RUNS"); do
  for n in 100 1000; do
    measure "local-$n" bench/slurm/foreach.yaml -p "N=$n"
    measure "pilots-$n" bench/slurm/foreach.yaml -p "N=$n" --executor slurm --slurm-pilots "$PILOTS"
  done
  measure jobs-100 bench/slurm/foreach.yaml -p N=100 --executor slurm
  [ "$JOBS_AT_1000" = 1 ] && measure jobs-1000 bench/slurm/foreach.yaml -p N=1000 --executor slurm
  measure local-big bench/slurm/bigartifact.yaml
  measure slurm-big bench/slurm/bigartifact.yaml --executor slurm
done
for file in "$WORK"/*.times; do wall[$(basename "$file" .times)]=$(median < "$file"); done

echo "$FS_PY_NOTE; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(sinfo --noheader --format='%D node(s), %c cpus each')"
echo
echo "| work (median of $RUNS) | local | Slurm pilots ($PILOTS) | Slurm, one job per task |"
echo "|---|---|---|---|"
for n in 100 1000; do
  jobs="—"
  [ -n "${wall[jobs-$n]:-}" ] && jobs="${wall[jobs-$n]} s ($(ratio "${wall[jobs-$n]}" "${wall[local-$n]}")×)"
  echo "| foreach of $n trivial tasks | ${wall[local-$n]} s | ${wall[pilots-$n]} s ($(ratio "${wall[pilots-$n]}" "${wall[local-$n]}")×) | $jobs |"
done
echo "| 400 MB array, made by one step and summed by the next | ${wall[local-big]} s | — | ${wall[slurm-big]} s ($(ratio "${wall[slurm-big]}" "${wall[local-big]}")×) |"
echo
echo "| overhead per task over local | Slurm pilots | Slurm, one job per task |"
echo "|---|---|---|"
for n in 100 1000; do
  jobs="—"
  [ -n "${wall[jobs-$n]:-}" ] && jobs="$(per_task "${wall[jobs-$n]}" "${wall[local-$n]}" "$n") ms"
  echo "| at $n tasks | $(per_task "${wall[pilots-$n]}" "${wall[local-$n]}" "$n") ms | $jobs |"
done
