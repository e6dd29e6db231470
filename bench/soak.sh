#!/usr/bin/env bash
# Soak: EVENTS events (default 10,000,000) in batches of 100 through a service holding USERS active
# enrollments (default 1,000,000), in wrk slices of SLICE seconds; prints events/s per slice and the
# heap after a full GC at the start and after every slice (flat but for the dedupe window: evaluated
# events leave the sessions, their 64-bit fingerprints stay for DEDUPE_WINDOW, about 14-19 MB a million). The baseline is the heap at the start of the same run; the event count is the
# service's own (conversion_events_accepted_total), not rate x time. Orders convert users out of the campaign, so after each slice the audience is
# enrolled again (converted users come back, active ones are skipped): every heap figure is taken
# with USERS active enrollments.
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
mvn -B -q -DskipTests package
trap 'stop_service $SERVICE; rm -rf "$WORK"' EXIT
start_service "${PORT:-18186}" "$WORK/data" "$WORK/service.log"
live_campaign soak placed_order
awk -v n="$USERS" 'BEGIN { for (u = 1; u <= n; u++) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
  > "$WORK/audience.ndjson"
enroll_file soak "$WORK/audience.ndjson"

accepted() {
  curl -fs "$BASE/metrics" -H "authorization: Bearer $ADMIN_KEY" | awk '/^conversion_events_accepted_total/ { printf "%d", $2 }'
}
active() {
  curl -fs "$BASE/v1/campaigns/soak/stats" -H "authorization: Bearer $ADMIN_KEY" | sed -E 's/.*"active":([0-9]+).*/\1/'
}
# slice SECONDS: one wrk run; sets RATE
slice() {
  LINE=$(USERS=$USERS EVENTS_PER_REQUEST=100 WRITE_KEY=$WRITE_KEY wrk -t1 -c32 -d"$1s" \
    -s bench/events-batch.lua "$BASE" | tail -1)
  RATE=$(echo "$LINE" | sed -E 's/.*events\/s: ([0-9]+).*/\1/')
}

echo "soak: $EVENTS events, $USERS active enrollments, slices of ${SLICE}s"
echo "heap with $USERS enrollments loaded, before any event (after full GC): $(heap_mb) MB"
# Drools fills a rule's join memory when the rule is first evaluated: a short first slice does that.
slice 2
enroll_file soak "$WORK/audience.ndjson"
START=$(heap_mb)
echo "heap at the start, after a 2 s warm-up slice: $START MB with $(active) active"
echo "events evaluated after the warm-up | events/s (wrk) | active after the slice | heap MB (audience enrolled again) | vs start"
WARMUP=$(accepted)
SENT=0
while [ "$SENT" -lt "$EVENTS" ]; do
  slice "$SLICE"
  SENT=$(( $(accepted) - WARMUP ))
  LEFT=$(active)
  enroll_file soak "$WORK/audience.ndjson"
  HEAP=$(heap_mb)
  echo "$SENT | $RATE | $LEFT | $HEAP | $(awk -v h="$HEAP" -v s="$START" 'BEGIN { printf "%+.1f%%", (h - s) * 100 / s }')"
done
