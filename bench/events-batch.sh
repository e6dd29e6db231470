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
[ -f target/conversion-rules.jar ] || mvn -B -q -DskipTests package

trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$WORK"' EXIT
start_service "${PORT:-18181}" "$WORK/data" "$WORK/service.log"
EVENTS=(placed_order site_active opened_email clicked_email clicked_sms)
for i in $(seq 0 49); do
  live_campaign "c$i" "${EVENTS[$((i % 5))]}"
  awk -v n="$USERS" -v c="$i" 'BEGIN { for (u = 1; u <= n; u++) if (u % 50 == c) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
    > "$WORK/c$i.ndjson"
  enroll_file "c$i" "$WORK/c$i.ndjson"
done
echo "enrolled $USERS users over 50 campaigns; $EVENTS_PER_REQUEST events per request, $CONNECTIONS connections, $DURATION"
USERS=$USERS EVENTS_PER_REQUEST=$EVENTS_PER_REQUEST WRITE_KEY=$WRITE_KEY \
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/events-batch.lua "$BASE" | tail -1
