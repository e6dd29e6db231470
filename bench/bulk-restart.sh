#!/usr/bin/env bash
# Bulk enrollment and recovery, against the packaged service with a fresh data directory:
#  1. heap after full GC, empty;
#  2. enrolling USERS users into a multi-touch campaign in one streaming NDJSON request (durable);
#  3. heap after full GC with USERS active enrollments, before and after the first event (Drools
#     fills a rule's join memory when the rule is first evaluated) -> bytes per active enrollment;
#  4. a PATCH of the campaign's window, which re-places every active enrollment in the sessions;
#  5. kill -9, then the time from process start to /health/ready with USERS active enrollments, and
#     how long the first events after it take to answer.
# Baselines from the same run: the same file sent again (every user already active: parsed, routed
# and checked, nothing written), and a restart to ready with the campaign but no enrollment (JVM
# start and rules compilation).
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

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# restart: kill -9, start again on the same data; sets RESTART (seconds from process start to ready)
restart() {
  kill -9 "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
  local t0
  t0=$(date +%s.%N)
  start_service "$PORT" "$WORK/data" "$WORK/service.log" LOG_LEVEL=INFO
  RESTART=$(seconds "$t0" "$(date +%s.%N)")
}
# Orders of 64 users enrolled nowhere: every shard fires once (a session propagates inserts at its
# first fire, and a rule's join memory fills then), and nobody converts. Sets ANSWERED (ms).
first_events() {
  local t0 body
  # Built before the clock starts: 64 subshells take tens of milliseconds.
  body="{\"events\":[$(for i in $(seq 0 63); do printf '%s{"id":"%s","userId":"nobody-%d","name":"Placed Order"}' "$([ $i = 0 ] || echo ,)" "$1" $i; done)]}"
  t0=$(date +%s.%N)
  curl -fs "$BASE/v1/events" -H "authorization: Bearer $WRITE_KEY" -H 'content-type: application/json' \
    -d "$body" >/dev/null
  ANSWERED=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
}

start_service "$PORT" "$WORK/data" "$WORK/service.log"
live_campaign launch placed_order
restart
EMPTY_RESTART=$RESTART
EMPTY=$(heap_mb)
T0=$(date +%s.%N)
for part in "$WORK"/part-*; do
  enroll_file launch "$part"
done
T1=$(date +%s.%N)
for part in "$WORK"/part-*; do
  enroll_file launch "$part"
done
T2=$(date +%s.%N)
LOADED=$(heap_mb)
first_events first
RUNNING=$(heap_mb)
per() { awk -v f="$1" -v e="$EMPTY" -v n="$USERS" "BEGIN { printf \"%d\", (f - e) * 1048576 / n }"; }
echo "bulk enrollment of $USERS users: $(seconds "$T0" "$T1") s (durable, $(ls "$WORK"/part-* | wc -l) NDJSON request(s) of up to 2M lines)"
echo "  baseline, the same file again (all already active, nothing written): $(seconds "$T1" "$T2") s"
echo "heap per active enrollment (whole heap, after full GC): $(per "$LOADED") B loaded, $(per "$RUNNING") B once the rules have run"

# A live campaign's new window is re-placed on every active enrollment, shard by shard in parallel.
SHARDS=$(curl -fs "$BASE/metrics" -H "authorization: Bearer $ADMIN_KEY" | grep -c '^conversion_shard_queue_depth{')
T3=$(date +%s.%N)
admin PATCH /v1/campaigns/launch -H 'content-type: application/json' -d '{"conversionWindow":"P3650D"}'
T4=$(date +%s.%N)
echo "PATCH of the live campaign's window with $USERS active enrollments over $SHARDS shards: $(seconds "$T3" "$T4") s" \
  "($(awk -v a="$T3" -v b="$T4" -v n="$USERS" -v s="$SHARDS" 'BEGIN { printf "%.2f", (b - a) * 1000000 * s / n }') s per million in one shard)"

restart
first_events after-restart
echo "kill -9, then restart to ready with $USERS active enrollments: $RESTART s (JVM start, the compiled rules read back, the sessions rebuilt)"
echo "  baseline, the same restart with no enrollment: $EMPTY_RESTART s"
echo "first events after the restart (64 users, every shard) answered in $ANSWERED ms"
grep -o 'Rebuilt.*' "$WORK/service.log" | tail -1 || true
