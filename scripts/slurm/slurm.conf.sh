#!/usr/bin/env bash
# Prints the slurm.conf of start.sh's single-node cluster:
#   slurm.conf.sh DIR NODE USER CONTROLLER_PORT NODE_PORT "CPUs=… RealMemory=…"
# Every setting below was needed for the tests' cluster to behave as a real one would; the
# comments say why.
set -euo pipefail
dir="$1" node="$2" user="$3" controller_port="$4" node_port="$5" hardware="$6"
cat <<CONF
ClusterName=flowspec
# The host name, reached on the loopback: no name service needed.
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$controller_port
SlurmdPort=$node_port
# The daemons run as whoever started them (root in CI). slurmd runs jobs as their submitter,
# which only root may do for others.
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2

StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No cgroups without systemd: track a job's processes through /proc and bind no cpus.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Memory is then enforced by sampling: a step past its --mem is killed (OUT_OF_MEMORY).
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
JobAcctGatherParams=OverMemoryKill
MpiDefault=none
MailProg=/bin/true

# Cores and memory are both consumable, and a job that names no memory gets DefMemPerCPU per cpu
# (else one job would take all of the node's memory).
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
# A job asking for more than the partition or any node has is refused by sbatch, instead of
# pending forever.
EnforcePartLimits=ALL
# Start a job as it is submitted, not at the next scheduling pass.
SchedulerParameters=batch_sched_delay=0
# Without an accounting database a finished job is known only while the controller keeps it:
# an hour, time to read its exit code with scontrol or squeue.
MinJobAge=3600
# A job past its time limit, or cancelled, gets SIGTERM then SIGKILL this many seconds later.
KillWait=2
# A node that stops answering is down (and its jobs NODE_FAIL) after this many seconds; a node
# that registers again is back (ReturnToService=2). Jobs are not requeued: a failed job is a
# failed attempt that the run's retry decides about.
SlurmdTimeout=5
ReturnToService=2
JobRequeue=0

NodeName=$node NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
