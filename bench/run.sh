#!/usr/bin/env bash
# The whole benchmark in one command: whole flow runs and lint side by side with Metaflow, then
# flowspec's scale curve (foreach of 1,000 to 100,000 tasks), then every peer (Prefect, Dask, the
# raw floor, Metaflow) on the same work. Prints every table (markdown).
#
# usage: bench/run.sh [--runs N] [--quick] [--scenarios a,b,...] [--only flows,lint,scale,peers]
#
#   --runs N          timed runs per scenario and side (default: 5 for flows after 1 warm-up,
#                     10 for lint after 1 warm-up)
#   --quick           a smoke run: flows 1 timed run and no warm-up, lint 3 runs, the scale
#                     curve without its 100,000-task point, peers --quick (--runs still applies)
#   --scenarios LIST  the flow scenarios (see bench/flows/run.sh; default: all)
#   --only LIST       the parts to run, of flows, lint, scale, peers (default: all four)
#
# Environment: FLOWSPEC (default .build/release/flowspec, built with `swift build -c release` if
# missing), VENV (default bench/.venv), WARMUP (flows' warm-up runs), and the sub-scripts' own.
#
# Creates $VENV with metaflow==2.19.39 and numpy when missing, and installs the peers' pinned
# versions (bench/peers/requirements.txt) for the peers part (needs PyPI). flowspec runs with
# PATH="$VENV/bin:$PATH", so the python3 its workers run is the interpreter Metaflow runs in.
# The tables also go to bench/.work/tables.md; raw rows and logs are under bench/.work/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/bench/.work"
export VENV="${VENV:-$ROOT/bench/.venv}"
RUNS=""
QUICK=0
SCENARIOS=""
ONLY="flows,lint,scale,peers"

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --quick) QUICK=1 ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
for part in ${ONLY//,/ }; do
  case "$part" in flows|lint|scale|peers) ;; *) echo "unknown part: $part (known: flows, lint, scale, peers)" >&2; exit 2 ;; esac
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }
mkdir -p "$WORK"

# -- the Metaflow venv --------------------------------------------------------------------------
mf_ok() { "$VENV/bin/python" -c 'import metaflow, sys; sys.exit(metaflow.__version__ != "2.19.39")' 2>/dev/null; }
np_ok() { "$VENV/bin/python" -c 'import numpy' 2>/dev/null; }
if ! { mf_ok && np_ok; }; then
  echo "setting up $VENV: metaflow==2.19.39 and numpy..." >&2
  if [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"; then
    # `python -m pip`, not bin/pip: a copied venv's scripts name the original's python
    "$VENV/bin/python" -m pip install -q metaflow==2.19.39 numpy \
      || echo "warning: could not install into $VENV; Metaflow's side may be missing" >&2
  else
    echo "warning: could not create $VENV; flowspec runs alone" >&2
  fi
fi
if want peers && [ -x "$VENV/bin/python" ]; then
  "$VENV/bin/python" -m pip install -q -r bench/peers/requirements.txt \
    || echo "warning: could not install the peers into $VENV; their columns may be missing" >&2
fi

# -- the parts ----------------------------------------------------------------------------------
flows_args=(); lint_args=(); scale_args=(); peers_args=()
if [ "$QUICK" = 1 ]; then
  flows_args+=(--runs "${RUNS:-1}"); lint_args+=(--runs "${RUNS:-3}"); scale_args+=(--quick)
  peers_args+=(--quick ${RUNS:+--runs "$RUNS"})
  export WARMUP="${WARMUP:-0}"
elif [ -n "$RUNS" ]; then
  flows_args+=(--runs "$RUNS"); lint_args+=(--runs "$RUNS"); peers_args+=(--runs "$RUNS")
fi
[ -z "$SCENARIOS" ] || flows_args+=(--scenarios "$SCENARIOS")

status=0
# part NAME TITLE SCRIPT ARGS...: runs a part, its progress on stderr, its table into WORK/NAME-table.md
part() {
  local name="$1" title="$2"; shift 2
  echo "== $title: $*" >&2
  { echo "## $title"; echo; } > "$WORK/$name-table.md"
  if ! "$@" >> "$WORK/$name-table.md"; then
    echo "!! $name failed (exit status above); its table may be incomplete" >&2
    echo "**this part failed; see its output above**" >> "$WORK/$name-table.md"
    status=1
  fi
}
want flows && part flows "Whole flow runs, flowspec and Metaflow" bench/flows/run.sh "${flows_args[@]}"
want lint && part lint "Static check: flowspec lint and Metaflow check" bench/lint/run.sh "${lint_args[@]}"
want scale && part scale "Scale curve: flowspec, foreach of many trivial tasks" bench/flows/scale.sh "${scale_args[@]}"
want peers && part peers "Peers: flowspec, the raw floor, Dask, Prefect and Metaflow on the same work" bench/peers/run.sh "${peers_args[@]}"

# -- all tables ---------------------------------------------------------------------------------
{
  echo "# flowspec benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$([ "$QUICK" = 1 ] && echo ', --quick')"
  for name in flows lint scale peers; do
    want "$name" || continue
    echo
    cat "$WORK/$name-table.md"
  done
} > "$WORK/tables.md"
echo >&2
cat "$WORK/tables.md"
exit "$status"
