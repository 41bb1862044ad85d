#!/usr/bin/env bash
# What the test cluster of scripts/slurm/start.sh costs: its start, nothing to an idle node,
# and the submit-to-done time of a trivial job (sbatch, then squeue every 10 ms until the job
# is COMPLETED), over STARTS starts (default 5) and JOBS jobs (default 20) of each kind:
#   back to back   each job submitted as the one before is seen done
#   at random      after a pause of 0-1 s: slurmctld starts pending jobs on its background
#                  loop's one-second tick, so back-to-back jobs, which end just after a tick,
#                  wait for nearly all of the next one; a job submitted at a random moment
#                  waits half a second on average
# Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
starts="${STARTS:-5}" jobs="${JOBS:-20}"
scripts/slurm/install.sh

now() { date +%s.%N; }
# summary NAME FILE: median, min and max of the seconds in FILE, one per line.
summary() {
    sort -n "$2" | awk -v name="$1" '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "| %s | %d | %.3f | %.3f | %.3f |\n", name, NR, m, v[1], v[NR] }'
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$starts"); do
    begin=$(now)
    env_lines="$(scripts/slurm/start.sh)"
    echo "$(now) - $begin" | bc >>"$work/start"
    eval "$env_lines"
    scripts/slurm/stop.sh "$FLOWSPEC_SLURM_DIR"
done

eval "$(scripts/slurm/start.sh)"
trap 'scripts/slurm/stop.sh "$FLOWSPEC_SLURM_DIR"; rm -rf "$work"' EXIT
# trivial_job FILE: submits a job, waits until it is done and appends the seconds to FILE.
trivial_job() {
    local begin id
    begin=$(now)
    id="$(sbatch --parsable --output=/dev/null --chdir=/tmp --wrap true)"
    until [ "$(squeue --noheader --states=all --jobs="$id" --format=%T)" = COMPLETED ]; do sleep 0.01; done
    echo "$(now) - $begin" | bc >>"$1"
}
for _ in $(seq "$jobs"); do trivial_job "$work/back"; done
for _ in $(seq "$jobs"); do
    sleep "0.$(printf '%03d' $((RANDOM % 1000)))"
    trivial_job "$work/random"
done

echo "| what | runs | median s | min s | max s |"
echo "|---|---|---|---|---|"
summary "start.sh: nothing to an idle node" "$work/start"
summary "trivial job, back to back: sbatch to COMPLETED" "$work/back"
summary "trivial job, at random: sbatch to COMPLETED" "$work/random"
