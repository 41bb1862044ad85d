#!/usr/bin/env bash
# Lint benchmark: `flowspec lint` against Metaflow's `python flow.py check` on the same graphs.
#
# usage: bench/lint/run.sh [--with-metaflow] [--runs N]
#
#   --with-metaflow   create bench/.venv with metaflow==2.19.39 if it does not exist
#   --runs N          timed runs per scenario (default 10, after 1 warm-up)
#
# Environment:
#   FLOWSPEC    the flowspec binary (default .build/release/flowspec, built if missing)
#   VENV        the Metaflow venv (default bench/.venv)
#   N           steps in the large generated flow (default 1000)
#   METAFLOW_N  steps in the generated flow Metaflow is timed on (default 50; see README:
#               Metaflow's check enumerates every path, so its time grows 3x per 3-way branch)
#   CHAIN_N     steps in the branch-free chain both are timed on (default 900: Metaflow's
#               check fails with RecursionError on a chain of 1000)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/bench/.work"
VENV="${VENV:-$ROOT/bench/.venv}"
MF="$ROOT/bench/metaflow"
FLOWSPEC="${FLOWSPEC:-.build/release/flowspec}"
N="${N:-1000}"
METAFLOW_N="${METAFLOW_N:-50}"
CHAIN_N="${CHAIN_N:-900}"
RUNS=10
WITH_METAFLOW=0

while [ $# -gt 0 ]; do
  case "$1" in
    --with-metaflow) WITH_METAFLOW=1 ;;
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

mkdir -p "$WORK/flowspec" "$WORK/metaflow" "$WORK/mf-cwd"
PY=python3
TIMEIT=("$PY" "$ROOT/bench/lint/timeit.py" --runs "$RUNS" --warmup 1)

# -- inputs -------------------------------------------------------------------------------------
"$PY" bench/lint/gen_spec.py "$N" "$WORK/flowspec/flow_$N.yaml" >&2
"$PY" bench/lint/gen_spec.py "$METAFLOW_N" "$WORK/flowspec/flow_$METAFLOW_N.yaml" >&2
"$PY" bench/lint/gen_metaflow.py "$N" "$WORK/metaflow/flow_$N.py" >&2
"$PY" bench/lint/gen_metaflow.py "$METAFLOW_N" "$WORK/metaflow/flow_$METAFLOW_N.py" >&2
"$PY" bench/lint/gen_spec.py --linear "$N" "$WORK/flowspec/chain_$N.yaml" >&2
"$PY" bench/lint/gen_spec.py --linear "$CHAIN_N" "$WORK/flowspec/chain_$CHAIN_N.yaml" >&2
"$PY" bench/lint/gen_metaflow.py --linear "$CHAIN_N" "$WORK/metaflow/chain_$CHAIN_N.py" >&2

# -- flowspec -----------------------------------------------------------------------------------
if [ ! -x "$FLOWSPEC" ] && [ "$FLOWSPEC" = ".build/release/flowspec" ]; then
  echo "building flowspec (swift build -c release)..." >&2
  swift build -c release >&2 || echo "warning: build failed; flowspec columns will be empty" >&2
fi
HAVE_FLOWSPEC=0
[ -x "$FLOWSPEC" ] && HAVE_FLOWSPEC=1

# -- Metaflow -----------------------------------------------------------------------------------
if [ "$WITH_METAFLOW" = 1 ] && [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV with metaflow==2.19.39..." >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q metaflow==2.19.39
fi
HAVE_METAFLOW=0
[ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import metaflow" 2>/dev/null && HAVE_METAFLOW=1
export METAFLOW_DEFAULT_DATASTORE=local METAFLOW_DEFAULT_METADATA=local USERNAME=bench

RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# time SCENARIO SIDE CWD COMMAND...   (appends a row to results.tsv)
time_cmd() {
  local scenario="$1" side="$2" cwd="$3"; shift 3
  echo "timing [$scenario] $side: $*" >&2
  local json
  json="$("${TIMEIT[@]}" --cwd "$cwd" -- "$@")"
  printf '%s\t%s\t%s\n' "$scenario" "$side" "$json" >> "$RESULTS"
}

fs_lint() { time_cmd "$1" flowspec "$ROOT" "$FLOWSPEC" lint "$2"; }
mf_check() { time_cmd "$1" metaflow "$WORK/mf-cwd" "$VENV/bin/python" "$2" check; }

S_BIG="generated, $N steps"
S_SMALL="generated, $METAFLOW_N steps"
S_CHAIN_BIG="chain, $N steps"
S_CHAIN="chain, $CHAIN_N steps"
S_LINEAR="linear, 4 steps"
S_MOVIES="docs/spec.md example (movies.yaml)"

if [ "$HAVE_FLOWSPEC" = 1 ]; then
  fs_lint "$S_BIG" "$WORK/flowspec/flow_$N.yaml"
  fs_lint "$S_SMALL" "$WORK/flowspec/flow_$METAFLOW_N.yaml"
  fs_lint "$S_CHAIN_BIG" "$WORK/flowspec/chain_$N.yaml"
  fs_lint "$S_CHAIN" "$WORK/flowspec/chain_$CHAIN_N.yaml"
  fs_lint "$S_LINEAR" "$ROOT/bench/flows/linear.yaml"
  fs_lint "$S_MOVIES" "$ROOT/specs/valid/movies.yaml"
fi
if [ "$HAVE_METAFLOW" = 1 ]; then
  mf_check "$S_SMALL" "$WORK/metaflow/flow_$METAFLOW_N.py"
  mf_check "$S_CHAIN" "$WORK/metaflow/chain_$CHAIN_N.py"
  mf_check "$S_LINEAR" "$MF/linear.py"
fi

# -- table --------------------------------------------------------------------------------------
[ "$HAVE_FLOWSPEC" = 1 ] && echo "# flowspec $("$FLOWSPEC" --version) (plain lint starts no Python)"
[ "$HAVE_METAFLOW" = 1 ] && echo "# Metaflow $("$VENV/bin/python" -c 'import metaflow; print(metaflow.__version__)'): $VENV/bin/python (Python $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])'))"
"$PY" - "$RESULTS" "$S_BIG" "$S_SMALL" "$S_CHAIN_BIG" "$S_CHAIN" "$S_LINEAR" "$S_MOVIES" "$N" "$METAFLOW_N" "$CHAIN_N" \
      "$HAVE_FLOWSPEC" "$HAVE_METAFLOW" <<'PYEOF'
import json, sys
path, big, small, chain_big, chain, linear, movies, n, mf_n, chain_n, have_fs, have_mf = sys.argv[1:]
rows = {}
for line in open(path):
    scenario, side, data = line.rstrip("\n").split("\t")
    rows[(scenario, side)] = json.loads(data)

def cell(r):
    if r is None:
        return "–"
    s = f"{r['median'] * 1000:.1f} ms ({r['min'] * 1000:.1f}–{r['max'] * 1000:.1f})"
    return s + (f" exit {r['status']}" if r["status"] else "")

print()
print(f"| scenario | flowspec lint, median (min–max) | Metaflow check, median (min–max) | Metaflow / flowspec |")
print("|---|---|---|---|")
notes = {
    big: f"not run: check enumerates every path, 3x per 3-way branch (README); timed at {mf_n} steps",
    chain_big: f"not run: check fails with RecursionError near 1000 steps; timed at {chain_n}",
}
for scenario in dict.fromkeys((big, small, chain_big, chain, linear, movies)):
    fs, mf = rows.get((scenario, "flowspec")), rows.get((scenario, "metaflow"))
    ratio = f"{mf['median'] / fs['median']:.1f}x" if fs and mf else "–"
    if scenario in notes and mf is None and have_mf == "1":
        mf_text = notes[scenario]
    else:
        mf_text = cell(mf)
    print(f"| {scenario} | {cell(fs)} | {mf_text} | {ratio} |")
runs = {r["runs"] for r in rows.values()}
tools = {r["tool"] for r in rows.values()}
print()
print(f"runs per scenario: {', '.join(map(str, sorted(runs))) or '–'} after 1 warm-up; timer: {', '.join(sorted(tools)) or '–'}")
if have_fs != "1":
    print("flowspec: no binary (set FLOWSPEC or build with `swift build -c release`)")
if have_mf != "1":
    print("Metaflow: no venv at bench/.venv (pass --with-metaflow to create it)")
print("A non-zero exit means lint reported findings: the timing is still of a full pass.")
PYEOF
