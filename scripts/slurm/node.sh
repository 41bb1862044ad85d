#!/usr/bin/env bash
# The node daemon of a cluster that start.sh started in DIR:
#   node.sh start DIR   starts slurmd and waits until the controller sees the node idle
#   node.sh kill DIR    kills slurmd with SIGKILL, as a crashed node would lose it; the jobs'
#                       step daemons live on, and the controller marks the node down after
#                       SlurmdTimeout. `start` brings it back (ReturnToService=2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PATH="$PATH:/usr/sbin"
[ $# -eq 2 ] || { echo "usage: $0 start|kill DIR" >&2; exit 2; }
dir="$(cd "$2" && pwd)"
export SLURM_CONF="$dir/slurm.conf"
source "$here/lib.sh"
node="$(hostname -s)"

case "$1" in
start)
    running slurmd >/dev/null && { echo "slurm: slurmd already runs in $dir" >&2; exit 1; }
    launch slurmd slurmd -D -N "$node" -f "$SLURM_CONF"
    wait_until "node $node is idle" 30 node_is_idle "$node"
    ;;
kill) stop_recorded slurmd KILL ;;
*) echo "usage: $0 start|kill DIR" >&2; exit 2 ;;
esac
