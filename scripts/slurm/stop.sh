#!/usr/bin/env bash
# Stops the cluster that start.sh started in DIR: cancels its jobs and waits for them to end,
# then ends slurmd, slurmctld and munged, the processes recorded in DIR/pids and no others, and
# removes DIR. Safe to run twice, or on a cluster that only half started.
#   stop.sh DIR [--keep]   --keep leaves DIR (its logs) in place
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PATH="$PATH:/usr/sbin"
[ $# -ge 1 ] || { echo "usage: $0 DIR [--keep]" >&2; exit 2; }
[ -d "$1" ] || exit 0
dir="$(cd "$1" && pwd)"
[ -d "$dir/pids" ] || { echo "slurm: $dir is no cluster of start.sh (no pids folder)" >&2; exit 1; }
export SLURM_CONF="$dir/slurm.conf"
source "$here/lib.sh"

# A job's processes are the step daemon's, which slurmd started: cancelling the jobs ends them.
if [ -f "$SLURM_CONF" ] && running slurmctld >/dev/null && running slurmd >/dev/null; then
    scancel --full --user="$(id -un)" 2>/dev/null || true
    wait_until "the jobs end" 30 no_jobs_left || true
fi
stop_recorded slurmd TERM
stop_recorded slurmctld TERM
stop_recorded munged TERM
[ "${2:-}" = "--keep" ] || rm -rf "$dir"
