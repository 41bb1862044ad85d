#!/usr/bin/env bash
# Peers: the same work on flowspec, the raw floor (with and without an fsync per blob), Dask
# distributed, Prefect 3 (with a server, and ephemeral) and Metaflow, alternating run by run.
#
# usage: bench/peers/run.sh [--install] [--runs N] [--quick] [--slow] [--scenarios a,b] [--sides a,b]
#
#   --install         install the pinned peers (peers/requirements.txt) into $VENV first
#   --runs N          timed runs per scenario and side (default 3), after 1 warm-up (WARMUP=);
#                     foreach-10000 is always 1 run without warm-up
#   --quick           1 run, no warm-up; startup, linear, foreach-100 and foreach-1000 only, and
#                     Metaflow on startup and linear only
#   --slow            also run the combinations skipped for time (Prefect at 10,000 tasks)
#   --scenarios LIST  of: startup, linear, foreach-100, foreach-1000, foreach-10000, bigartifact
#   --sides LIST      of: flowspec, floor, floor-fsync, dask, prefect-server, prefect-ephemeral, metaflow
#
# Environment: FLOWSPEC (default .build/release/flowspec, built if missing), VENV (default
# bench/.venv: every Python side runs its python, flowspec with PATH="$VENV/bin:$PATH"), WARMUP.
# Each run starts in a fresh temporary directory with a fresh store (measure.py). The Prefect
# server (`prefect server start` on a free loopback port, its home in bench/.work/prefect-server)
# runs for the whole script and is ended by it. Raw rows: bench/.work/peers-results.tsv.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/peers"
FLOWS="$ROOT/bench/flows"
WORK="$ROOT/bench/.work"
VENV="${VENV:-$ROOT/bench/.venv}"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
WARMUP="${WARMUP:-1}"
RUNS=3
INSTALL=0
QUICK=0
SLOW=0
SCENARIOS="startup,linear,foreach-100,foreach-1000,foreach-10000,bigartifact"
ALL_SIDES="flowspec,floor,floor-fsync,dask,prefect-server,prefect-ephemeral,metaflow"
SIDES="$ALL_SIDES"

while [ $# -gt 0 ]; do
  case "$1" in
    --install) INSTALL=1 ;;
    --runs) RUNS="$2"; shift ;;
    --quick) QUICK=1; RUNS=1; WARMUP=0; SCENARIOS="startup,linear,foreach-100,foreach-1000" ;;
    --slow) SLOW=1 ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --sides) SIDES="$2"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a WANT <<< "$SCENARIOS"
for s in "${WANT[@]}"; do
  [[ "$s" =~ ^(startup|linear|foreach-(100|1000|10000)|bigartifact)$ ]] || { echo "unknown scenario: $s" >&2; exit 2; }
done
IFS=, read -r -a SIDE <<< "$SIDES"
for s in "${SIDE[@]}"; do
  [[ ",$ALL_SIDES," == *",$s,"* ]] || { echo "unknown side: $s (known: $ALL_SIDES)" >&2; exit 2; }
done
mkdir -p "$WORK/peers-logs"

# -- the interpreter and the peers in it ----------------------------------------------------------
PY="$VENV/bin/python"
[ -x "$PY" ] || { echo "no venv at $VENV (bench/run.sh creates it)" >&2; exit 1; }
[ "$INSTALL" = 0 ] || "$PY" -m pip install -q -r "$HERE/requirements.txt"
# shellcheck source-path=SCRIPTDIR source=../flows/common.sh
. "$FLOWS/common.sh"
fs_setup
version() { "$PY" -c "import $1; print($1.__version__)" 2>/dev/null || echo "not installed"; }
declare -A VERSION=([metaflow]="$(version metaflow)" [dask]="$(version distributed)" [prefect]="$(version prefect)")

# -- the Prefect server ---------------------------------------------------------------------------
SERVER_PID=""
# ends the server's process group (setsid below); `|| true`: its status must not become the script's
stop_server() { [ -z "$SERVER_PID" ] || { kill -TERM -- "-$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true; }
trap stop_server EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap ends the server on ^C too
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 PREFECT_UI_ENABLED=false
if [[ ",$SIDES," == *",prefect-server,"* ]] && [ "${VERSION[prefect]}" != "not installed" ]; then
  PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  rm -rf "$WORK/prefect-server"
  echo "starting the Prefect server on 127.0.0.1:$PORT..." >&2
  t0="$(date +%s.%N)"
  PREFECT_HOME="$WORK/prefect-server" setsid "$PY" -m prefect server start --host 127.0.0.1 --port "$PORT" \
    > "$WORK/peers-logs/prefect-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do  # up to 2 minutes, while the server lives
    curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null || { kill -0 "$SERVER_PID" 2> /dev/null && sleep 0.2 && continue; }
    break
  done
  curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null || { echo "the Prefect server did not start (log: $WORK/peers-logs/prefect-server.log)" >&2; exit 1; }
  SERVER_READY="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
fi

# -- what each side runs --------------------------------------------------------------------------
# skip SIDE SCENARIO: why the combination is not run (empty: it is); table.py footnotes each reason
skip() {
  local side="$1" s="$2" pkg=""
  case "$side" in dask) pkg=dask ;; prefect-*) pkg=prefect ;; metaflow) pkg=metaflow ;; esac
  if [ -n "$pkg" ] && [ "${VERSION[$pkg]}" = "not installed" ]; then echo "not-installed"
  elif [[ "$side" == prefect-* ]] && [ "$s" = foreach-10000 ] && [ "$SLOW" = 0 ]; then echo "prefect-slow"
  elif [ "$side" = metaflow ] && [[ "$s" == foreach-1000* ]]; then echo "metaflow-slow"
  elif [ "$side" = metaflow ] && [[ "$s" == foreach-* ]] && [ "$QUICK" = 1 ]; then echo "metaflow-quick"
  fi
}
# command_of SIDE SCENARIO: sets CMD (the command line) and STORE (the store folder it makes)
command_of() {
  local side="$1" s="$2" n="${2#foreach-}" work=()
  case "$s" in foreach-*) work=(foreach "$n") ;; *) work=("$s") ;; esac
  local pyenv=(env "PYTHONPATH=$FLOWS" "$PY")
  case "$side" in
    flowspec) STORE=.flowspec
      case "$s" in
        startup) CMD=("$FS" run "$HERE/startup.yaml") ;;
        foreach-*) CMD=("$FS" run "$FLOWS/foreach.yaml" -p "N=$n" --max-workers 2) ;;
        *) CMD=("$FS" run "$FLOWS/$s.yaml") ;;
      esac
      CMD=(env "PATH=$FS_PATH" "${CMD[@]}") ;;
    floor) STORE=.floor; CMD=("${pyenv[@]}" "$HERE/floor.py" "${work[@]}") ;;
    floor-fsync) STORE=.floor; CMD=("${pyenv[@]}" "$HERE/floor.py" --fsync "${work[@]}") ;;
    dask) STORE=""; CMD=("${pyenv[@]}" "$HERE/dask_flows.py" "${work[@]}") ;;
    prefect-server) STORE=.prefect
      CMD=(env "PREFECT_API_URL=http://127.0.0.1:$PORT/api" PREFECT_HOME=.prefect "${pyenv[@]}" "$HERE/prefect_flows.py" "${work[@]}") ;;
    prefect-ephemeral) STORE=.prefect
      CMD=(env -u PREFECT_API_URL PREFECT_HOME=.prefect "${pyenv[@]}" "$HERE/prefect_flows.py" "${work[@]}") ;;
    metaflow) STORE=.metaflow
      case "$s" in
        startup) CMD=("$PY" "$HERE/mf_startup.py" run) ;;
        foreach-*) CMD=("$PY" "$ROOT/bench/metaflow/foreach.py" run --N "$n" --max-workers 2 --max-num-splits 1000) ;;
        bigartifact) CMD=("$PY" "$ROOT/bench/metaflow/bigartifact.py" run --fill random) ;;
        linear) CMD=("$PY" "$ROOT/bench/metaflow/linear.py" run) ;;
      esac
      CMD=(env METAFLOW_DEFAULT_DATASTORE=local METAFLOW_DEFAULT_METADATA=local USERNAME=bench "${CMD[@]}") ;;
  esac
}

RESULTS="$WORK/peers-results.tsv"
printf 'scenario\tside\trun\twall_s\tpeak_rss_kib\texit\tstore_kib\tstore_files\ttree_rss_kib\tload1\n' > "$RESULTS"
# one SCENARIO SIDE IDX: one measured run (IDX < 0: a warm-up, not recorded); "skipped" rows say why not
one() {
  local s="$1" side="$2" idx="$3" why log="$WORK/peers-logs/$1.$2.log" load row also=()
  why="$(skip "$side" "$s")"
  if [ -n "$why" ]; then
    [ "$idx" != 0 ] || printf '%s\t%s\tskipped\t%s\n' "$s" "$side" "$why" >> "$RESULTS"
    return
  fi
  command_of "$side" "$s"
  [ "$side" != prefect-server ] || also=(--tree-also "$SERVER_PID")
  load="$(cut -d' ' -f1 /proc/loadavg)"
  row="$(python3 "$FLOWS/measure.py" --watch-tree-rss "${also[@]}" ${STORE:+--store-dir "$STORE"} --log "$log" -- "${CMD[@]}")"
  [ "$(cut -f3 <<< "$row")" = 0 ] || echo "!! $s $side run $idx exited $(cut -f3 <<< "$row") (log: $log)" >&2
  [ "$idx" -lt 0 ] || printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$side" "$idx" "$row" "$load" >> "$RESULTS"
}

HEADER="# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo); flowspec $("$FS" --version); Python $("$PY" -c 'import sys; print(sys.version.split()[0])') in $VENV for every side"
HEADER+="; Dask distributed ${VERSION[dask]}, Prefect ${VERSION[prefect]}, Metaflow ${VERSION[metaflow]}"
[ -z "$SERVER_PID" ] || HEADER+=$'\n'"# Prefect server: pid $SERVER_PID on 127.0.0.1:$PORT, answered /api/health ${SERVER_READY} s after its start"
echo "$HEADER" >&2
for s in "${WANT[@]}"; do
  runs="$RUNS"; warm="$WARMUP"
  [ "$s" != foreach-10000 ] || { runs=1; warm=0; }
  echo "[$s] $runs runs after $warm warm-up, each side in turn: $SIDES" >&2
  for ((i = -warm; i < runs; i++)); do
    for side in "${SIDE[@]}"; do one "$s" "$side" "$i"; done
  done
done

echo "$HEADER"
server_db=""
[ -z "$SERVER_PID" ] || server_db="$(du -sk "$WORK/prefect-server" | cut -f1)"
python3 "$HERE/table.py" "$RESULTS" "$SCENARIOS" "$SIDES" "$server_db"
echo "# raw rows: $RESULTS" >&2
