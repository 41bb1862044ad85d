#!/usr/bin/env bash
# Installs Slurm's controller, node daemon and client commands and munge (its authentication)
# from Debian's packages. Quick when they are already there. Starts nothing: start.sh does.
set -euo pipefail

programs=(slurmctld slurmd sbatch squeue scontrol scancel munged mungekey)
missing=0
for program in "${programs[@]}"; do
    PATH="$PATH:/usr/sbin" command -v "$program" >/dev/null || missing=1
done
[ "$missing" -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
packages=(slurmctld slurmd slurm-client munge)
echo "==> installing ${packages[*]}"
$sudo apt-get update -qq
# No daemon is started by the packages' scripts on a machine without an init system; a
# policy-rc.d is not needed for that, and start.sh runs its own daemons anyway.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
