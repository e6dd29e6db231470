#!/usr/bin/env bash
# HTTP ingestion against a no-op Vert.x POST endpoint, same load generator (wrk), same run:
#   1. the no-op endpoint (reads the body, answers), one event per request;
#   2. POST /v1/events, one event per request (both over SINGLE_CONNECTIONS, default 256, so a group
#      commit has many requests to share its fsync);
#   3. POST /v1/events, 100 events per request (over BATCH_CONNECTIONS, default 64);
# with USERS active enrollments (default 1,000,000, loaded by NDJSON) and the durable store.
# Prints the single-event ratio to the no-op endpoint, the cores (and microseconds a request) each of
# the service's threads used in each run against it, and the cores the machine left idle in each run
# (the load generator runs on the same cores).
# Each single-event endpoint gets WARMUP (default 10 s) of the same load first, not counted.
# ROUNDS (default 1) repeats the single-event pair, alternately, and prints every ratio and the median.
#   bench/http-ingestion.sh                         # 20 s per run
#   ROUNDS=3 bench/http-ingestion.sh                # three single-event pairs, then the batches
#   USERS=10000 DURATION=3s WARMUP=1s bench/http-ingestion.sh # quick
# Needs wrk (apt-get install wrk). Binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
USERS=${USERS:-1000000}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-1}
SINGLE_CONNECTIONS=${SINGLE_CONNECTIONS:-256}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-64}
NOOP_PORT=${NOOP_PORT:-18185}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mvn -B -q -DskipTests package test-compile

${JAVA:-java} -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.bench.NoopServer "$NOOP_PORT" \
  > "$WORK/noop.log" 2>&1 &
NOOP=$!
trap 'stop_service $SERVICE $NOOP; rm -rf "$WORK"' EXIT
start_service "${PORT:-18184}" "$WORK/data" "$WORK/service.log"
fifty_campaigns "$USERS" "$WORK"
echo "$USERS active enrollments over 50 campaigns; wrk -t1 -d$DURATION"

run() { # label url events-per-request connections [pid of the service, for its threads' CPU]
  local line t0 t1 i0 i1 seconds rate
  [ -n "${5:-}" ] && thread_cpu "$5" > "$WORK/cpu.before"
  i0=$(idle_ticks)
  t0=$(date +%s.%N)
  line=$(USERS=$USERS EVENTS_PER_REQUEST=$3 WRITE_KEY=$WRITE_KEY wrk -t1 -c"$4" -d"$DURATION" \
    -s bench/events-batch.lua "$2" | tail -1)
  t1=$(date +%s.%N)
  i1=$(idle_ticks)
  seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  rate=$(echo "$line" | sed -E 's/^requests\/s: ([0-9]+).*/\1/')
  # Idle cores say whether the run was bound by CPU (the load generator shares the machine) or by waiting.
  echo "$1 ($4 connections): $line; machine idle $(idle_cores "$i0" "$i1" "$seconds") cores" >&2
  if [ -n "${5:-}" ]; then
    thread_cpu "$5" > "$WORK/cpu.after"
    thread_cores "$WORK/cpu.before" "$WORK/cpu.after" "$seconds" "$rate" >&2
  fi
  echo "$rate"
}
# The same load for WARMUP first on each endpoint, not counted: the service's first seconds after the
# load are the JIT compiling its request path (33.9k requests/s in the first 10 s at 200k users, then
# 49-56k in the next three), which is start-up, not throughput.
warm() { # label url
  echo "warm-up, not counted, $1: $(USERS=$USERS EVENTS_PER_REQUEST=1 WRITE_KEY=$WRITE_KEY wrk -t1 \
    -c"$SINGLE_CONNECTIONS" -d"$WARMUP" -s bench/events-batch.lua "$2" | tail -1)" >&2
}
warm "no-op endpoint" "http://127.0.0.1:$NOOP_PORT"
warm "POST /v1/events" "$BASE"
# ROUNDS > 1 runs the pair again, alternately: one round's ratio moves by a tenth from run to run.
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  noop=$(run "no-op endpoint, 1 event/request     " "http://127.0.0.1:$NOOP_PORT" 1 "$SINGLE_CONNECTIONS")
  single=$(run "POST /v1/events, 1 event/request    " "$BASE" 1 "$SINGLE_CONNECTIONS" "$SERVICE")
  ratios+=("$(awk -v s="$single" -v n="$noop" 'BEGIN { printf "%.2f", s / n }')")
  [ "$ROUNDS" -gt 1 ] && echo "round $round: single event per request vs no-op: ${ratios[-1]}x" >&2
done
run "POST /v1/events, 100 events/request " "$BASE" 100 "$BATCH_CONNECTIONS" "$SERVICE" > /dev/null
if [ "$ROUNDS" -gt 1 ]; then
  echo "single event per request vs no-op: median $(printf '%s\n' "${ratios[@]}" | sort -n \
    | awk '{ r[NR] = $1 } END { print (NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2) }')x of $ROUNDS rounds (${ratios[*]})" >&2
else
  echo "single event per request vs no-op: ${ratios[0]}x" >&2
fi
