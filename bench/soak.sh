#!/usr/bin/env bash
# Soak: EVENTS events (default 10,000,000) in batches of 100 through a service holding USERS active
# enrollments (default 1,000,000), in wrk slices of SLICE seconds; prints events/s per slice and the
# heap after a full GC at the start and after every slice (it must stay flat: evaluated events leave
# the sessions).
#   bench/soak.sh
#   EVENTS=100000 USERS=10000 SLICE=3 bench/soak.sh     # quick
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
EVENTS=${EVENTS:-10000000}
USERS=${USERS:-1000000}
SLICE=${SLICE:-30}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/conversion-rules.jar ] || mvn -B -q -DskipTests package
trap 'stop_service $SERVICE; rm -rf "$WORK"' EXIT
start_service "${PORT:-18186}" "$WORK/data" "$WORK/service.log"
live_campaign soak placed_order
awk -v n="$USERS" 'BEGIN { for (u = 1; u <= n; u++) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
  > "$WORK/audience.ndjson"
enroll_file soak "$WORK/audience.ndjson"

echo "soak: $EVENTS events, $USERS active enrollments, slices of ${SLICE}s"
echo "heap at start (after full GC): $(heap_mb) MB"
SENT=0
while [ "$SENT" -lt "$EVENTS" ]; do
  LINE=$(USERS=$USERS EVENTS_PER_REQUEST=100 WRITE_KEY=$WRITE_KEY wrk -t1 -c32 -d"${SLICE}s" \
    -s bench/events-batch.lua "$BASE" | tail -1)
  RATE=$(echo "$LINE" | sed -E 's/.*events\/s: ([0-9]+).*/\1/')
  SENT=$(( SENT + RATE * SLICE ))
  echo "after ~$SENT events: $RATE events/s; heap $(heap_mb) MB"
done
