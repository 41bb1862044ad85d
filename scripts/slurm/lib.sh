# Helpers of the scripts in this folder; sourced, not run. Each daemon runs in the foreground of
# a session of its own (so a terminal's Ctrl-C does not reach it), its pid recorded in
# $dir/pids/NAME: stop.sh and node.sh end exactly the processes recorded there.

# launch NAME COMMAND...: starts COMMAND in the background, its output in $dir/log/NAME.out.
launch() {
    local name="$1"; shift
    setsid "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
    echo $! >"$dir/pids/$name"
}

# wait_until WHAT SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds; after SECONDS
# says what did not happen, shows the logs and fails.
wait_until() {
    local what="$1" seconds="$2"; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "slurm: $what: not after ${seconds}s; the logs in $dir/log:" >&2
            tail -n 20 "$dir"/log/* >&2 || true
            return 1
        fi
        sleep 0.05
    done
}

# free_ports N: N TCP ports of the loopback that nothing listens on now.
free_ports() {
    python3 -c '
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))' "$1"
}

# node_is_idle NODE: whether the controller sees NODE idle (not down, drained or still unknown).
node_is_idle() {
    [ "$(sinfo --noheader --nodes="$1" --format=%T 2>/dev/null)" = "idle" ]
}

# running NAME: the recorded pid of NAME if that process still runs the program it was started as.
running() {
    local pidfile="$dir/pids/$1" pid
    [ -f "$pidfile" ] || return 1
    pid="$(cat "$pidfile")"
    # A pid can be reused once its process is gone: check it is still that program.
    { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$1" || return 1
    echo "$pid"
}

# stop_recorded NAME SIGNAL: sends SIGNAL to the recorded process NAME and waits for it to end,
# killing it after 10 s.
stop_recorded() {
    local pid
    pid="$(running "$1")" || { rm -f "$dir/pids/$1"; return 0; }
    kill -"$2" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while running "$1" >/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
    if running "$1" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$dir/pids/$1"
}

# no_jobs_left: whether the controller has no job that is still pending, running or completing.
no_jobs_left() {
    [ -z "$(squeue --noheader --format=%i --states=PENDING,RUNNING,SUSPENDED,COMPLETING,CONFIGURING 2>/dev/null)" ]
}
