#!/usr/bin/env bash
# HTTP ingestion against a no-op Vert.x POST endpoint, same load generator (wrk), same run:
#   1. the no-op endpoint (reads the body, answers), one event per request;
#   2. POST /v1/events, one event per request; 3. POST /v1/events, 100 events per request;
# with USERS active enrollments (default 1,000,000, loaded by one NDJSON request) and the durable store.
#   bench/http-ingestion.sh                       # 20 s per run
#   USERS=10000 DURATION=3s bench/http-ingestion.sh   # quick
# Needs wrk (apt-get install wrk). Binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-1000000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18184}
NOOP_PORT=${NOOP_PORT:-18185}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mvn -B -q -DskipTests package test-compile
CP="target/classes:target/test-classes:target/lib/*"

java -cp "$CP" com.conversionrules.bench.NoopServer "$NOOP_PORT" > "$WORK/noop.log" 2>&1 &
NOOP=$!
HOST=127.0.0.1 PORT=$PORT DATA_DIR="$WORK/data" LOG_LEVEL=WARN ADMIN_KEYS=bench-admin WRITE_KEYS=bench-write \
  java ${SERVICE_OPTS:--Xmx4g} -jar target/conversion-rules.jar > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE $NOOP 2>/dev/null; wait $SERVICE $NOOP 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.2; done
AUTH=(-H "authorization: Bearer bench-admin")
for i in $(seq 0 49); do
  EVENTS=(placed_order site_active opened_email clicked_email clicked_sms)
  curl -fs -X POST "http://127.0.0.1:$PORT/v1/campaigns" "${AUTH[@]}" -H 'content-type: application/json' \
    -d "{\"id\":\"c$i\",\"name\":\"c$i\",\"type\":\"multi_touch\",\"conversionEvent\":\"${EVENTS[$((i % 5))]}\"}" >/dev/null
  curl -fs -X POST "http://127.0.0.1:$PORT/v1/campaigns/c$i/launch" "${AUTH[@]}" >/dev/null
  awk -v n="$USERS" -v c="$i" 'BEGIN { for (u = 1; u <= n; u++) if (u % 50 == c) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
    > "$WORK/c$i.ndjson"
  curl -fs -X POST "http://127.0.0.1:$PORT/v1/campaigns/c$i/enrollments" "${AUTH[@]}" \
    -H 'content-type: application/x-ndjson' --data-binary @"$WORK/c$i.ndjson" >/dev/null
done
echo "$USERS active enrollments over 50 campaigns; wrk -t1 -c$CONNECTIONS -d$DURATION"

run() { # label port events-per-request
  echo -n "$1: "
  USERS=$USERS EVENTS_PER_REQUEST=$3 WRITE_KEY=bench-write wrk -t1 -c"$CONNECTIONS" -d"$DURATION" \
    -s bench/events-batch.lua "http://127.0.0.1:$2" | tail -1
}
run "no-op endpoint, 1 event/request     " "$NOOP_PORT" 1
run "POST /v1/events, 1 event/request    " "$PORT" 1
run "POST /v1/events, 100 events/request " "$PORT" 100
