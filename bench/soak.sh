#!/usr/bin/env bash
# Soak: EVENTS events (default 10,000,000) in batches of 100 through a service holding USERS active
# enrollments (default 1,000,000), in wrk slices of SLICE seconds; prints events/s per slice and the
# heap after a full GC at the start and after every slice (it must stay flat: evaluated events leave
# the sessions).
#   bench/soak.sh
#   EVENTS=200000 USERS=10000 SLICE=3 bench/soak.sh     # quick
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-10000000}
USERS=${USERS:-1000000}
SLICE=${SLICE:-30}
PORT=${PORT:-18186}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/conversion-rules.jar ] || mvn -B -q -DskipTests package
HOST=127.0.0.1 PORT=$PORT DATA_DIR="$WORK/data" LOG_LEVEL=WARN ADMIN_KEYS=bench-admin WRITE_KEYS=bench-write \
  java ${SERVICE_OPTS:--Xmx4g} -jar target/conversion-rules.jar > "$WORK/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.2; done
AUTH=(-H "authorization: Bearer bench-admin")
curl -fs -X POST "$BASE/v1/campaigns" "${AUTH[@]}" -H 'content-type: application/json' \
  -d '{"id":"soak","name":"Soak","type":"multi_touch","conversionEvent":"placed_order"}' >/dev/null
curl -fs -X POST "$BASE/v1/campaigns/soak/launch" "${AUTH[@]}" >/dev/null
awk -v n="$USERS" 'BEGIN { for (u = 1; u <= n; u++) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
  > "$WORK/audience.ndjson"
curl -fs -X POST "$BASE/v1/campaigns/soak/enrollments" "${AUTH[@]}" -H 'content-type: application/x-ndjson' \
  --data-binary @"$WORK/audience.ndjson" >/dev/null

heap_mb() {
  jcmd "$SERVICE" GC.run >/dev/null; sleep 1
  jcmd "$SERVICE" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i+1)); printf "%.1f", $(i+1) / 1024; exit } }'
}
echo "soak: $EVENTS events, $USERS active enrollments, slices of ${SLICE}s"
echo "heap at start (after full GC): $(heap_mb) MB"
SENT=0
while [ "$SENT" -lt "$EVENTS" ]; do
  LINE=$(USERS=$USERS EVENTS_PER_REQUEST=100 WRITE_KEY=bench-write wrk -t1 -c32 -d"${SLICE}s" \
    -s bench/events-batch.lua "$BASE" | tail -1)
  RATE=$(echo "$LINE" | sed -E 's/.*events\/s: ([0-9]+).*/\1/')
  SENT=$(( SENT + RATE * SLICE ))
  echo "after ~$SENT events: $RATE events/s; heap $(heap_mb) MB"
done
