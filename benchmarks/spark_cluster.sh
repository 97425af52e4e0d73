#!/usr/bin/env bash
# A standalone Spark cluster on this machine, as spark-submit users run one: a master and
# (by default) two workers, each in its own JVM, from the jars of the pyspark package in
# kequn's virtual environment, all bound to loopback.
#
#   benchmarks/spark_cluster.sh start     # prints the export that points kequn at it
#   export KEQUN_SPARK_MASTER=spark://127.0.0.1:7077
#   kequn run --engine spark             # the driver runs in kequn, executors in the workers
#   benchmarks/spark_cluster.sh status
#   benchmarks/spark_cluster.sh stop
#
# Settings (environment): WORKERS (2), WORKER_CORES (1), WORKER_MEMORY (2g),
# SPARK_MASTER_PORT (7077), KEQUN_SPARK_CLUSTER_DIR (logs, pids, work dirs;
# /tmp/kequn-spark-cluster), PYTHON (the venv's python).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
STATE=${KEQUN_SPARK_CLUSTER_DIR:-/tmp/kequn-spark-cluster}
WORKERS=${WORKERS:-2}
WORKER_CORES=${WORKER_CORES:-1}
WORKER_MEMORY=${WORKER_MEMORY:-2g}
PORT=${SPARK_MASTER_PORT:-7077}
HOST=127.0.0.1
MASTER="spark://$HOST:$PORT"

SPARK_HOME=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME
export SPARK_LOCAL_IP=$HOST
# executors start Python workers with kequn's interpreter, should a UDF need one
export PYSPARK_PYTHON=$PYTHON

wait_for_port() { # host port seconds
    local deadline=$((SECONDS + $3))
    until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
        if ((SECONDS > deadline)); then
            echo "nothing listens on $1:$2 after $3 s; see $STATE/*.log" >&2
            return 1
        fi
        sleep 0.2
    done
}

running() { # name
    [[ -f "$STATE/$1.pid" ]] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null
}

start() {
    mkdir -p "$STATE"
    if running master; then
        echo "already running: $MASTER"
        return 0
    fi
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host "$HOST" --port "$PORT" --webui-port $((PORT + 1000)) \
        >"$STATE/master.log" 2>&1 &
    echo $! >"$STATE/master.pid"
    wait_for_port "$HOST" "$PORT" 120
    for i in $(seq 1 "$WORKERS"); do
        mkdir -p "$STATE/work-$i"
        nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
            --host "$HOST" --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
            --work-dir "$STATE/work-$i" --webui-port $((PORT + 1000 + i)) "$MASTER" \
            >"$STATE/worker-$i.log" 2>&1 &
        echo $! >"$STATE/worker-$i.pid"
    done
    # registered workers say so in the master's log
    local deadline=$((SECONDS + 120))
    until [[ $(grep -c "Registering worker" "$STATE/master.log" || true) -ge $WORKERS ]]; do
        if ((SECONDS > deadline)); then
            echo "workers did not register with $MASTER; see $STATE/*.log" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "started: $MASTER ($WORKERS workers x $WORKER_CORES cores, $WORKER_MEMORY each)"
    echo "export KEQUN_SPARK_MASTER=$MASTER"
}

stop() {
    for pidfile in "$STATE"/worker-*.pid "$STATE"/master.pid; do
        [[ -f "$pidfile" ]] || continue
        pid=$(cat "$pidfile")
        # only the JVM this script started (its pid), never by name
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        rm -f "$pidfile"
    done
    echo "stopped"
}

status() {
    for name in master $(for i in $(seq 1 "$WORKERS"); do echo "worker-$i"; done); do
        if running "$name"; then echo "$name: running (pid $(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
    done
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
