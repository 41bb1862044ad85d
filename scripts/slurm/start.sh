#!/usr/bin/env bash
# Starts a throw-away single-node Slurm cluster on this machine, without systemd: munged,
# slurmctld and slurmd, with their keys, state, configuration, logs, sockets and pids all under
# one new folder (or the empty folder given). Waits until the node is idle, then prints on stdout
# the environment a client needs, for `eval "$(scripts/slurm/start.sh)"`:
#   SLURM_CONF           the cluster's slurm.conf, which every Slurm command reads
#   FLOWSPEC_SLURM_DIR   the folder; scripts/slurm/stop.sh and node.sh take it
# Everything else goes to stderr. scripts/slurm/install.sh installs what it runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PATH="$PATH:/usr/sbin"

dir="${1:-$(mktemp -d "${TMPDIR:-/tmp}/flowspec-slurm.XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# Slurm's commands reach munged through its socket, as any user: every folder on the way to it
# must be searchable by all (mktemp makes its folder 0700).
chmod 755 "$dir"
mkdir -p "$dir"/{munge,state,spool,log,pids}
# A start that fails half-way stops what it started; the folder stays, with the logs.
trap '"$here/stop.sh" "$dir" --keep' EXIT

node="$(hostname -s)"
user="$(id -un)"
export SLURM_CONF="$dir/slurm.conf"
source "$here/lib.sh"

# Two free TCP ports on the loopback, so that clusters of different checkouts can run at once.
read -r controller_port node_port < <(free_ports 2)

mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1
chmod 400 "$dir/munge/munge.key"
launch munged munged --foreground --socket="$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/log/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed"
wait_until "munged answers" 10 test -S "$dir/munge/munge.socket.2"

# The node's cpus and memory as slurmd measures them; slurmd refuses a node configured larger.
hardware="$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')"
"$here/slurm.conf.sh" "$dir" "$node" "$user" "$controller_port" "$node_port" "$hardware" >"$SLURM_CONF"

launch slurmctld slurmctld -D -i -f "$SLURM_CONF"
wait_until "slurmctld answers" 20 scontrol ping
"$here/node.sh" start "$dir"

trap - EXIT
echo "export SLURM_CONF='$SLURM_CONF'"
echo "export FLOWSPEC_SLURM_DIR='$dir'"
