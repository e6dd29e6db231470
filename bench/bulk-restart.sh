#!/usr/bin/env bash
# Bulk enrollment and recovery, against the packaged service with a fresh data directory:
#  1. heap after full GC, empty;
#  2. enrolling USERS users into a multi-touch campaign in one streaming NDJSON request (durable);
#  3. heap after full GC with USERS active enrollments, before and after the first event (Drools
#     fills a rule's join memory when the rule is first evaluated) -> bytes per active enrollment;
#  4. kill -9, then the time from process start to /health/ready with USERS active enrollments.
#   bench/bulk-restart.sh               # 1,000,000 users
#   USERS=20000 bench/bulk-restart.sh   # quick
#   USERS=10000000 SERVICE_OPTS=-Xmx8g bench/bulk-restart.sh   # 10M in an 8 GB heap (requests of 2M lines)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
USERS=${USERS:-1000000}
PORT=${PORT:-18183}
WORK=$(mktemp -d)
mvn -B -q -DskipTests package
awk -v n="$USERS" 'BEGIN { for (u = 0; u < n; u++) printf "{\"userId\":\"user-%d\"}\n", u }' > "$WORK/audience.ndjson"
# One request takes at most 2,000,000 lines.
split -l 2000000 -d "$WORK/audience.ndjson" "$WORK/part-"
trap 'kill -9 $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_service "$PORT" "$WORK/data" "$WORK/service.log"
live_campaign launch placed_order
EMPTY=$(heap_mb)
T0=$(date +%s.%N)
for part in "$WORK"/part-*; do
  enroll_file launch "$part"
done
T1=$(date +%s.%N)
LOADED=$(heap_mb)
# Orders of 64 users enrolled nowhere: every shard fires once (a session propagates inserts at its
# first fire, and a rule's join memory fills then), and nobody converts.
curl -fs "$BASE/v1/events" -H "authorization: Bearer $WRITE_KEY" -H 'content-type: application/json' \
  -d "{\"events\":[$(for i in $(seq 0 63); do printf '%s{"id":"first","userId":"nobody-%d","name":"Placed Order"}' "$([ $i = 0 ] || echo ,)" $i; done)]}" >/dev/null
RUNNING=$(heap_mb)
per() { awk -v f="$1" -v e="$EMPTY" -v n="$USERS" "BEGIN { printf \"%d\", (f - e) * 1048576 / n }"; }
echo "bulk enrollment of $USERS users: $(awk -v a="$T0" -v b="$T1" "BEGIN { printf \"%.2f\", b - a }") s (durable, $(ls "$WORK"/part-* | wc -l) NDJSON request(s) of up to 2M lines)"
echo "heap per active enrollment (whole heap, after full GC): $(per "$LOADED") B loaded, $(per "$RUNNING") B once the rules have run"

kill -9 "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
T2=$(date +%s.%N)
start_service "$PORT" "$WORK/data" "$WORK/service.log" LOG_LEVEL=INFO
T3=$(date +%s.%N)
echo "restart to ready with $USERS active enrollments: $(awk -v a="$T2" -v b="$T3" "BEGIN { printf \"%.2f\", b - a }") s (JVM start, rules compile, session rebuild)"
grep -o 'Rebuilt.*' "$WORK/service.log" || true
