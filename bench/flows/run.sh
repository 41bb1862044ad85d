#!/usr/bin/env bash
# Flow benchmark: whole runs of the same flows with flowspec and with Metaflow, side by side.
#
# usage: bench/flows/run.sh [--with-metaflow] [--runs N] [--scenarios a,b,...]
#
#   --with-metaflow   create bench/.venv with metaflow==2.19.39 and numpy if it does not exist
#                     (without it, Metaflow runs only when bench/.venv already exists)
#   --runs N          timed runs per scenario and side (default 5), after 1 warm-up (WARMUP=)
#   --scenarios LIST  comma-separated subset of: linear, foreach-10, foreach-100, foreach-500,
#                     foreach-10000, resume, bigartifact (default: all)
#
# Environment:
#   FLOWSPEC    the flowspec binary (default .build/release/flowspec, built if missing)
#   WARMUP      untimed warm-up runs per scenario and side (default 1)
#   VENV        the Metaflow venv (default bench/.venv)
#
# Each run starts in a fresh temporary directory with a fresh store (.flowspec / .metaflow in it).
# The two sides alternate run by run. Raw rows: bench/.work/flows-results.tsv.
# flowspec runs with PATH="$VENV/bin:$PATH" when the venv exists, so its workers' python3 is the
# interpreter Metaflow runs in (common.sh); the header says which python3 was used.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/flows"
WORK="$ROOT/bench/.work"
VENV="${VENV:-$ROOT/bench/.venv}"
MF="$ROOT/bench/metaflow"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
WARMUP="${WARMUP:-1}"
RUNS=5
WITH_METAFLOW=0
ALL="linear,foreach-10,foreach-100,foreach-500,foreach-10000,resume,bigartifact"
SCENARIOS="$ALL"

while [ $# -gt 0 ]; do
  case "$1" in
    --with-metaflow) WITH_METAFLOW=1 ;;
    --runs) RUNS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a WANT <<< "$SCENARIOS"
for s in "${WANT[@]}"; do
  [[ ",$ALL," == *",$s,"* ]] || { echo "unknown scenario: $s (known: $ALL)" >&2; exit 2; }
done

mkdir -p "$WORK/flows-logs"
PY=python3
MEASURE=("$PY" "$HERE/measure.py")

# -- Metaflow -----------------------------------------------------------------------------------
if [ "$WITH_METAFLOW" = 1 ] && [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV with metaflow==2.19.39 and numpy..." >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q metaflow==2.19.39 numpy
fi
HAVE_METAFLOW=0
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import metaflow" 2>/dev/null; then
  HAVE_METAFLOW=1
  if ! "$VENV/bin/python" -c "import numpy" 2>/dev/null; then
    if [ "$WITH_METAFLOW" = 1 ]; then
      "$VENV/bin/python" -m pip install -q numpy
    else
      echo "note: no numpy in $VENV: Metaflow skips bigartifact (pass --with-metaflow)" >&2
    fi
  fi
fi
MFPY="$VENV/bin/python"
export METAFLOW_DEFAULT_DATASTORE=local METAFLOW_DEFAULT_METADATA=local USERNAME=bench

# -- flowspec -----------------------------------------------------------------------------------
# The binary, and the python3 its workers run: the venv's when there is one (common.sh).
# shellcheck source=common.sh
. "$HERE/common.sh"
fs_setup
if [[ ",$SCENARIOS," == *",bigartifact,"* ]] && ! "$FS_PY" -c "import numpy" 2>/dev/null; then
  echo "note: no numpy for $FS_PY: flowspec's bigartifact will fail" >&2
fi

RESULTS="$WORK/flows-results.tsv"
printf 'scenario\tside\trun\twall_s\tpeak_rss_kib\texit\tstore_kib\tstore_files\n' > "$RESULTS"

# one SCENARIO SIDE IDX STOREDIR [--pre JSON] -- CMD...   (IDX < 0: warm-up, not recorded)
one() {
  local scenario="$1" side="$2" idx="$3"; shift 3
  local log="$WORK/flows-logs/$scenario.$side.log"
  local row
  if [ "$side" = flowspec ]; then
    row="$(PATH="$FS_PATH" "${MEASURE[@]}" --log "$log" "$@")"
  else
    row="$("${MEASURE[@]}" --log "$log" "$@")"
  fi
  local rc; rc="$(cut -f3 <<< "$row")"
  [ "$rc" = 0 ] || echo "!! $scenario $side run $idx exited $rc (log: $log)" >&2
  [ "$idx" -lt 0 ] || printf '%s\t%s\t%s\t%s\n' "$scenario" "$side" "$idx" "$row" >> "$RESULTS"
}

# fs_cmd / mf_cmd SCENARIO: the command line (and measure.py options) of each side
fs_args() {
  case "$1" in
    linear) echo "--store-dir .flowspec -- $FS run $HERE/linear.yaml" ;;
    foreach-*) echo "--store-dir .flowspec -- $FS run $HERE/foreach.yaml -p N=${1#foreach-} --max-workers 2" ;;
    resume) echo "--store-dir .flowspec --pre [\"env\",\"BENCH_FAIL_END=1\",\"$FS\",\"run\",\"$HERE/resume.yaml\"] -- $FS resume $HERE/resume.yaml" ;;
    bigartifact) echo "--store-dir .flowspec -- $FS run $HERE/bigartifact.yaml" ;;
  esac
}
mf_args() {
  case "$1" in
    linear) echo "--store-dir .metaflow -- $MFPY $MF/linear.py run" ;;
    foreach-10000) echo "" ;;
    foreach-*) echo "--store-dir .metaflow -- $MFPY $MF/foreach.py run --N ${1#foreach-} --max-workers 2 --max-num-splits 1000" ;;
    resume) echo "--store-dir .metaflow --pre [\"env\",\"BENCH_FAIL_END=1\",\"$MFPY\",\"$MF/resume.py\",\"run\"] -- $MFPY $MF/resume.py resume" ;;
    bigartifact)
      if "$MFPY" -c "import numpy" 2>/dev/null; then echo "--store-dir .metaflow -- $MFPY $MF/bigartifact.py run --fill random"; fi ;;
  esac
}

HEADER="# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo); flowspec $("$FS" --version)"
[ "$HAVE_METAFLOW" = 1 ] && HEADER+="; Metaflow $("$MFPY" -c 'import metaflow; print(metaflow.__version__)') in $MFPY"
HEADER+=$'\n'"# $FS_PY_NOTE"
echo "$HEADER" >&2
for s in "${WANT[@]}"; do
  fs="$(fs_args "$s")"; mf=""
  [ "$HAVE_METAFLOW" = 1 ] && mf="$(mf_args "$s")"
  # the 10,000-task foreach: flowspec only, 1 timed run, no warm-up
  runs="$RUNS"; warm="$WARMUP"
  [ "$s" = foreach-10000 ] && { runs=1; warm=0; }
  echo "[$s] ${runs} runs after ${warm} warm-up, flowspec${mf:+ and Metaflow alternately}" >&2
  for ((i = -warm; i < runs; i++)); do
    # shellcheck disable=SC2086  # the argument strings hold no spaces inside arguments
    one "$s" flowspec "$i" $fs
    [ -z "$mf" ] || one "$s" metaflow "$i" $mf
  done
done

# -- table --------------------------------------------------------------------------------------
echo "$HEADER"
"$PY" "$HERE/table.py" "$RESULTS" "$HAVE_METAFLOW" "$SCENARIOS"
echo "# raw rows: $RESULTS" >&2
