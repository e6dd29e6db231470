#!/usr/bin/env bash
# Event -> webhook latency at constant arrival rates (10k and 50k events/s; --quick: 1k/s for 2 s).
# Starts the packaged service on 127.0.0.1 with a fresh data directory and its webhook pointed at the
# benchmark's own receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18181}
RECEIVER_PORT=${RECEIVER_PORT:-18182}
DATA_DIR=$(mktemp -d)
mvn -B -q -DskipTests package test-compile
HOST=127.0.0.1 PORT=$PORT DATA_DIR=$DATA_DIR LOG_LEVEL=WARN ADMIN_KEYS=bench-admin WRITE_KEYS=bench-write \
  SENDER_WEBHOOK_URL="http://127.0.0.1:$RECEIVER_PORT/exits" java ${SERVICE_OPTS:-} -jar target/conversion-rules.jar &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$DATA_DIR"' EXIT
until curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.2; done
BASE="http://127.0.0.1:$PORT" RECEIVER_PORT=$RECEIVER_PORT ADMIN_KEY=bench-admin WRITE_KEY=bench-write \
  java -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.bench.LatencyBenchmark "$@"
