#!/usr/bin/env bash
# The UI's pages on a big store: a store of 1,000 runs and a run of 10,000 tasks, each page
# fetched from `flowspec ui` (a release build) and timed; prints a markdown table.
#
# usage: bench/ui/run.sh [--runs N]     N timed fetches of each page after one warm-up (default 5)
#
# FLOWSPEC= names the binary (default: .build/release/flowspec, built when missing). The store is
# made once in bench/.work/ui/store and reused; delete it to make it again.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
FLOWSPEC="${FLOWSPEC:-$ROOT/.build/release/flowspec}"
if [ ! -x "$FLOWSPEC" ]; then
  echo "==> swift build -c release --product flowspec" >&2
  (cd "$ROOT" && swift build -c release --product flowspec >&2)
fi
WORK="$ROOT/bench/.work/ui"
STORE="$WORK/store"
mkdir -p "$WORK"
if [ ! -f "$WORK/made" ]; then
  made=$("$FLOWSPEC" runs Tiny --json --limit 1000 --store "$STORE" 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' || echo 0)
  echo "==> 999 one-step runs (every 10th tagged nightly; $made made already)" >&2
  for i in $(seq $((made + 1)) 999); do
    tags=(); [ $((i % 10)) -eq 0 ] && tags=(--tag nightly)
    "$FLOWSPEC" run "$ROOT/bench/ui/tiny.yaml" --store "$STORE" "${tags[@]}" >/dev/null 2>&1
  done
  echo "==> a foreach of 10,000 tasks (the 1,000th run)" >&2
  (cd "$ROOT/bench/flows" && "$FLOWSPEC" run foreach.yaml -p N=10000 --max-workers 2 --store "$STORE" | head -1 > "$WORK/big")
  touch "$WORK/made"
fi
python3 "$ROOT/bench/ui/measure.py" "$FLOWSPEC" "$STORE" "$(cat "$WORK/big")" "$RUNS"
