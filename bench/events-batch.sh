#!/usr/bin/env bash
# Measures POST /v1/events throughput with batches of events, against the real service with its
# durable store, USERS active enrollments spread over 50 live campaigns.
#   bench/events-batch.sh                  # 100k enrollments, 100 events per request, 20 s
#   USERS=10000 DURATION=3s bench/events-batch.sh
# Needs wrk (apt-get install wrk). Binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
USERS=${USERS:-100000}
EVENTS_PER_REQUEST=${EVENTS_PER_REQUEST:-100}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mvn -B -q -DskipTests package

trap 'stop_service $SERVICE; rm -rf "$WORK"' EXIT
start_service "${PORT:-18181}" "$WORK/data" "$WORK/service.log"
fifty_campaigns "$USERS" "$WORK"
echo "enrolled $USERS users over 50 campaigns; $EVENTS_PER_REQUEST events per request, $CONNECTIONS connections, $DURATION"
USERS=$USERS EVENTS_PER_REQUEST=$EVENTS_PER_REQUEST WRITE_KEY=$WRITE_KEY \
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/events-batch.lua "$BASE" | tail -1
