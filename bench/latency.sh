#!/usr/bin/env bash
# Event -> webhook latency at constant arrival rates (5k to warm up, 10k and 50k events/s; --quick: 1k/s
# for 2 s; RATES=5000,10000 for only those).
# Starts the packaged service on 127.0.0.1 with a fresh data directory and its webhook pointed at the
# benchmark's own receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RECEIVER_PORT=${RECEIVER_PORT:-18182}
WORK=$(mktemp -d)
mvn -B -q -DskipTests package test-compile
trap 'stop_service $SERVICE; rm -rf "$WORK"' EXIT
start_service "${PORT:-18181}" "$WORK/data" "$WORK/service.log" \
  SENDER_WEBHOOK_URL="http://127.0.0.1:$RECEIVER_PORT/exits" SENDER_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
written() { awk '/^write_bytes/ { print $2 }' "/proc/$SERVICE/io"; }
BEFORE=$(written)
BASE=$BASE RECEIVER_PORT=$RECEIVER_PORT ADMIN_KEY=$ADMIN_KEY WRITE_KEY=$WRITE_KEY \
  java -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.bench.LatencyBenchmark "$@"
# Every event of the run converts its user: the bytes the service wrote (its store's log, the copy of
# that log into the database, the performed-event index), enrollments included.
echo "the service wrote $(awk -v a="$BEFORE" -v b="$(written)" 'BEGIN { printf "%.0f", (b - a) / 1048576 }') MB to disk during the run"
