#!/usr/bin/env bash
# Bulk enrollment and recovery, against the packaged service with a fresh data directory:
#  1. heap after full GC, empty;
#  2. enrolling USERS users into a multi-touch campaign in one streaming NDJSON request (durable);
#  3. heap after full GC with USERS active enrollments -> bytes per active enrollment (whole heap);
#  4. kill -9, then the time from process start to /health/ready with USERS active enrollments.
#   bench/bulk-restart.sh               # 1,000,000 users
#   USERS=20000 bench/bulk-restart.sh   # quick
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-1000000}
PORT=${PORT:-18183}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
HEAP=${HEAP:--Xmx4g}
AUTH=(-H "authorization: Bearer bench-admin")
export HOST=127.0.0.1 PORT DATA_DIR="$WORK/data" LOG_LEVEL=WARN ADMIN_KEYS=bench-admin WRITE_KEYS=bench-write

[ -f target/conversion-rules.jar ] || mvn -B -q -DskipTests package
awk -v n="$USERS" 'BEGIN { for (u = 0; u < n; u++) printf "{\"userId\":\"user-%d\"}\n", u }' > "$WORK/audience.ndjson"

start_service() {
  java $HEAP -jar target/conversion-rules.jar > "$WORK/service.log" 2>&1 &
  SERVICE=$!
  until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done
}
heap_used_kb() {
  jcmd "$SERVICE" GC.run >/dev/null; sleep 1
  jcmd "$SERVICE" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i+1)); print $(i+1); exit } }'
}
trap 'kill -9 $SERVICE 2>/dev/null; rm -rf "$WORK"' EXIT

start_service
curl -fs -X POST "$BASE/v1/campaigns" "${AUTH[@]}" -H 'content-type: application/json' \
  -d '{"id":"launch","name":"Launch","type":"multi_touch","conversionEvent":"placed_order"}' >/dev/null
curl -fs -X POST "$BASE/v1/campaigns/launch/launch" "${AUTH[@]}" >/dev/null
EMPTY=$(heap_used_kb)
T0=$(date +%s.%N)
curl -fs -X POST "$BASE/v1/campaigns/launch/enrollments" "${AUTH[@]}" -H 'content-type: application/x-ndjson' \
  --data-binary @"$WORK/audience.ndjson" >/dev/null
T1=$(date +%s.%N)
FULL=$(heap_used_kb)
echo "bulk enrollment of $USERS users: $(echo "$T1 - $T0" | bc) s (durable, one NDJSON request)"
echo "heap per active enrollment (whole heap, after full GC): $(( (FULL - EMPTY) * 1024 / USERS )) B"

kill -9 "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
T2=$(date +%s.%N)
start_service
T3=$(date +%s.%N)
echo "restart to ready with $USERS active enrollments: $(echo "$T3 - $T2" | bc) s (JVM start, rules compile, session rebuild)"
grep -o 'Rebuilt.*' "$WORK/service.log" || true
