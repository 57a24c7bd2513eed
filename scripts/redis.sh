#!/usr/bin/env bash
# A project-local Redis for the repayment stream (Debian's redis-server; never the system service).
#
#   scripts/redis.sh start|stop|status [PORT] [DIR]
#
# PORT defaults to $REDIS_PORT or 6379; DIR (data, pidfile and log) to $REDIS_DIR or data_lake/redis,
# which git ignores. The server listens on 127.0.0.1 only. Unacknowledged stream entries are the only
# copy of an event until a consumer has ingested it, so the append-only file is on (fsync every second)
# and RDB snapshots are off; tests set REDIS_APPENDONLY=no for a throw-away instance.
# Exit status: 0 ok / running, 1 failure, 2 usage, 3 not running (status).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ACTION="${1:-}"
PORT="${2:-${REDIS_PORT:-6379}}"
DIR="${3:-${REDIS_DIR:-$ROOT/data_lake/redis}}"
APPENDONLY="${REDIS_APPENDONLY:-yes}"
PIDFILE="$DIR/redis-$PORT.pid"
LOGFILE="$DIR/redis-$PORT.log"

usage() {
    echo "usage: scripts/redis.sh start|stop|status [PORT] [DIR]" >&2
    exit 2
}

case "$PORT" in
    '' | *[!0-9]*) echo "error: port must be a number, got '$PORT'" >&2; exit 2 ;;
esac

ping() {
    [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = "PONG" ]
}

pid_alive() {
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

start() {
    if ! command -v redis-server >/dev/null; then
        echo "error: redis-server is not installed; run: apt-get install -y redis-server" >&2
        exit 1
    fi
    if ping; then
        echo "redis already answering on 127.0.0.1:$PORT"
        return 0
    fi
    mkdir -p "$DIR"
    DIR="$(cd "$DIR" && pwd)"
    PIDFILE="$DIR/redis-$PORT.pid"
    LOGFILE="$DIR/redis-$PORT.log"
    redis-server --port "$PORT" --bind 127.0.0.1 --protected-mode yes \
        --dir "$DIR" --save "" --appendonly "$APPENDONLY" --appendfsync everysec \
        --appendfilename "appendonly-$PORT.aof" --appenddirname "appendonly-$PORT" \
        --daemonize yes --pidfile "$PIDFILE" --logfile "$LOGFILE"
    for _ in $(seq 1 100); do  # up to ~10 s for the server to accept connections
        if ping; then
            echo "redis started on 127.0.0.1:$PORT (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'), dir $DIR)"
            return 0
        fi
        sleep 0.1
    done
    echo "error: redis did not start on port $PORT; see $LOGFILE" >&2
    exit 1
}

stop() {
    local pid=""
    [ -f "$PIDFILE" ] && pid="$(cat "$PIDFILE")"
    if ping; then
        # SHUTDOWN flushes the append-only file before exiting
        redis-cli -h 127.0.0.1 -p "$PORT" shutdown >/dev/null 2>&1 || true
    elif pid_alive; then
        kill "$(cat "$PIDFILE")"
    else
        echo "redis not running on port $PORT"
        rm -f "$PIDFILE"
        return 0
    fi
    for _ in $(seq 1 100); do
        if ! ping && ! pid_alive && { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; }; then
            rm -f "$PIDFILE"
            echo "redis stopped on port $PORT"
            return 0
        fi
        sleep 0.1
    done
    echo "error: redis on port $PORT did not stop" >&2
    exit 1
}

status() {
    if ping; then
        pid="$(cat "$PIDFILE" 2>/dev/null || echo '?')"
        echo "redis running on 127.0.0.1:$PORT (pid $pid, dir $DIR)"
        return 0
    fi
    echo "redis not running on port $PORT"
    exit 3
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) usage ;;
esac
