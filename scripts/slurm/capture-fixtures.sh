#!/usr/bin/env bash
# Captures what Slurm's commands print for each kind of job end, from a real cluster that it
# starts and stops, into Tests/Fixtures/slurm: the parsers' unit tests read them.
# Takes about two minutes (a job must outlive its one-minute time limit). Run it again after a
# change of the squeue fields (QueueListing.fields) or of the Slurm version.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=Tests/Fixtures/slurm
format='JobID:|,State:|,Reason:|,NodeList:|,TimeLimit:|,exit_code:|'

eval "$(scripts/slurm/start.sh)"
trap 'scripts/slurm/stop.sh "$FLOWSPEC_SLURM_DIR"' EXIT
work="$FLOWSPEC_SLURM_DIR/work"
mkdir -p "$work" "$out/sbatch"
rm -f "$out"/sbatch/*.err
cd "$work"
: >jobs.txt

# submit LABEL SBATCH-OPTIONS... -- COMMAND: submits and records LABEL=ID in jobs.txt.
submit() {
    local label="$1"; shift
    local id
    id="$(sbatch --parsable --no-requeue --output=/dev/null "$@")"
    echo "$label=$id" >>jobs.txt
    echo "$id"
}
id_of() { grep "^$1=" jobs.txt | cut -d= -f2; }
state_of() { squeue --noheader --states=all --jobs="$1" --format=%T; }
wait_for() {  # wait_for ID STATE
    until [ "$(state_of "$1")" = "$2" ]; do sleep 0.2; done
}

completed=$(submit completed --wrap true)
failed=$(submit exit3 --wrap 'exit 3')
submit signal --wrap 'kill -9 $$' >/dev/null
timeout=$(submit timeout --time=1 --wrap 'sleep 300')
submit memory --mem=100M --error="$work/memory.err" --wrap \
    'python3 -c "x = bytearray(500 << 20); import time; time.sleep(30)"' >/dev/null
wait_for "$failed" FAILED
submit never --dependency="afterok:$failed" --wrap true >/dev/null
submit held --hold --wrap true >/dev/null
cancelled=$(submit cancelled --wrap 'sleep 300')
wait_for "$cancelled" RUNNING
scancel "$cancelled"
submit running --wrap 'sleep 300' >/dev/null
submit resources --cpus-per-task=2 --wrap true >/dev/null
wait_for "$completed" COMPLETED
wait_for "$(id_of memory)" FAILED
sleep 2  # the running job's and the pending jobs' states settle
squeue --noheader --states=all --jobs="$(cut -d= -f2 jobs.txt | paste -sd,)" --Format="$format" >squeue-live.txt

# Sbatch's refusals: more than the node has, a GPU it does not have, names it does not know.
refuse() {  # refuse LABEL OPTIONS...
    local label="$1"; shift
    if sbatch --parsable --output=/dev/null "$@" --wrap true 2>"$OLDPWD/$out/sbatch/$label.err"; then
        echo "capture: sbatch took $* " >&2; exit 1
    fi
}
refuse cpus --cpus-per-task=64
refuse memory --mem=100G
refuse gpu --gres=gpu:1
refuse partition --partition=nope
refuse constraint --constraint=bigmem
squeue --noheader --jobs=999999 --Format="$format" 2>"$OLDPWD/$out/squeue-unknown.err" && exit 1
sed 's/^SlurmctldPort=.*/SlurmctldPort=1/' "$SLURM_CONF" >unreachable.conf
SLURM_CONF=unreachable.conf sbatch --wrap true 2>"$OLDPWD/$out/sbatch/unreachable.err" && exit 1

wait_for "$timeout" TIMEOUT
scancel "$(id_of running)" "$(id_of held)" "$(id_of never)" "$(id_of resources)"
lost=$(submit nodefail --wrap 'sleep 300')
wait_for "$lost" RUNNING
"$OLDPWD/scripts/slurm/node.sh" kill "$FLOWSPEC_SLURM_DIR"
wait_for "$lost" NODE_FAIL
"$OLDPWD/scripts/slurm/node.sh" start "$FLOWSPEC_SLURM_DIR"

# Without EnforcePartLimits=ALL, sbatch takes a job that asks for more than its partition
# allows, and the job pends for ever.
sed -i 's/^EnforcePartLimits=ALL/EnforcePartLimits=NO/' "$SLURM_CONF"
echo "PartitionName=short Nodes=$(hostname -s) MaxTime=1 State=UP" >>"$SLURM_CONF"
scontrol reconfigure
sleep 1
submit partitionconfig --cpus-per-task=64 --wrap true >/dev/null
submit partitiontime --partition=short --time=5 --wrap true >/dev/null
sleep 2
squeue --noheader --states=all --jobs="$(cut -d= -f2 jobs.txt | paste -sd,)" --Format="$format" >squeue-all.txt

cd "$OLDPWD"
cp "$work/jobs.txt" "$work/squeue-all.txt" "$work/squeue-live.txt" "$out/"
cp "$work/memory.err" "$out/memory-kill.err"
echo "$format" >"$out/squeue-format.txt"
sbatch --version >"$out/slurm-version.txt"
echo "capture: wrote $out" >&2
