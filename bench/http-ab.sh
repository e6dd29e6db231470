#!/usr/bin/env bash
# Single-event ingestion of two builds side by side: this checkout's service, the BASELINE
# checkout's service and the no-op endpoint all run at once, and the same wrk loads them in turn in
# short windows (WINDOW seconds, default 10), CYCLES times (default 12). Whole runs of
# bench/http-ingestion.sh drift with the machine (its no-op moved 53k-90k requests/s within one hour),
# so a change of a few percent is judged window by window: each cycle's ratios are against its no-op
# window (the builds take turns going first after it), and the last lines give both builds' medians,
# the median gain cycle by cycle and a sign test over the cycles.
# Also prints each window's event-loop CPU a request. USERS active enrollments (default 1,000,000).
#   BASELINE=../old bench/http-ab.sh      # ../old: another checkout, built with mvn -DskipTests package
#   BASELINE_OPTS=-Xmx4g SERVICE_OPTS="-Xmx4g -XX:+UseTransparentHugePages" bench/http-ab.sh  # JVM options, one build
#   USERS=10000 CYCLES=2 WINDOW=2 WARMUP=1 bench/http-ab.sh   # quick: an A/A run of this checkout
# Needs wrk (apt-get install wrk). Binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$(pwd)
. bench/lib.sh
BASELINE=$(cd "${BASELINE:-.}" && pwd)
USERS=${USERS:-1000000}
WINDOW=${WINDOW:-10}
CYCLES=${CYCLES:-12}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-256}
NOOP_PORT=${NOOP_PORT:-18185}
BASELINE_PORT=${BASELINE_PORT:-18186}
PORT=${PORT:-18184}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mvn -B -q -DskipTests package test-compile
[ -f "$BASELINE/target/conversion-rules.jar" ] || { echo "build the baseline first: (cd $BASELINE && mvn -B -DskipTests package)" >&2; exit 1; }

${JAVA:-java} -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.bench.NoopServer "$NOOP_PORT" \
  > "$WORK/noop.log" 2>&1 &
NOOP=$!
trap 'stop_service ${OURS:-} ${THEIRS:-} $NOOP; rm -rf "$WORK"' EXIT
# BASELINE_OPTS: the baseline's JVM options (default the same SERVICE_OPTS as this build's).
cd "$BASELINE" && SERVICE_OPTS="${BASELINE_OPTS:-${SERVICE_OPTS:--Xmx4g}}" start_service "$BASELINE_PORT" \
  "$WORK/baseline" "$WORK/baseline.log" && THEIRS=$SERVICE
fifty_campaigns "$USERS" "$WORK"
cd "$HERE" && start_service "$PORT" "$WORK/data" "$WORK/service.log" && OURS=$SERVICE
fifty_campaigns "$USERS" "$WORK"
echo "$USERS active enrollments in each build; baseline $BASELINE ($(git -C "$BASELINE" rev-parse --short HEAD)), this $(git rev-parse --short HEAD); $CYCLES cycles of $WINDOW-s windows, $CONNECTIONS connections"

load() { # port seconds: requests/s
  USERS=$USERS EVENTS_PER_REQUEST=1 WRITE_KEY=$WRITE_KEY wrk -t1 -c"$CONNECTIONS" -d"$2"s -s bench/events-batch.lua \
    "http://127.0.0.1:$1" | tail -1 | sed -E 's/^requests\/s: ([0-9]+).*/\1/'
}
loop_ticks() { # pid: CPU ticks of its event-loop threads so far
  thread_cpu "$1" | awk '$3 ~ /^vert.x-eventloo/ { s += $2 } END { print s + 0 }'
}
window() { # port pid: "requests/s loop-us-a-request"
  local before after rate
  before=$(loop_ticks "$2")
  rate=$(load "$1" "$WINDOW")
  after=$(loop_ticks "$2")
  echo "$rate $(awk -v t=$((after - before)) -v r="$rate" -v w="$WINDOW" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f", (r > 0 ? t / hz * 1e6 / (r * w) : 0) }')"
}
for port in "$NOOP_PORT" "$BASELINE_PORT" "$PORT"; do load "$port" "$WARMUP" > /dev/null; done
for cycle in $(seq 1 "$CYCLES"); do
  noop=$(load "$NOOP_PORT" "$WINDOW")
  # Which build goes first after the no-op alternates, so neither always runs closer to it.
  if [ $((cycle % 2)) -eq 1 ]; then
    read -r theirs theirs_loop < <(window "$BASELINE_PORT" "$THEIRS")
    read -r ours ours_loop < <(window "$PORT" "$OURS")
  else
    read -r ours ours_loop < <(window "$PORT" "$OURS")
    read -r theirs theirs_loop < <(window "$BASELINE_PORT" "$THEIRS")
  fi
  echo "$noop $theirs $ours" >> "$WORK/cycles"
  awk -v c="$cycle" -v n="$noop" -v b="$theirs" -v bl="$theirs_loop" -v o="$ours" -v ol="$ours_loop" 'BEGIN {
    printf "cycle %d: no-op %d; baseline %d (%.2fx, loop %s us a request); this %d (%.2fx, loop %s us)\n",
      c, n, b, b / n, bl, o, o / n, ol }'
done
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median ratio: baseline $(awk '{ print $2 / $1 }' "$WORK/cycles" | median)x, this $(awk '{ print $3 / $1 }' "$WORK/cycles" | median)x"
echo "this build against the baseline in the same cycle: median $(awk '{ print 100 * ($3 / $2 - 1) }' "$WORK/cycles" | median)%"
# Cycles are paired (each build's windows sit side by side), so a sign test over them: p is the chance
# of this build being ahead in that many cycles or more if neither were faster.
awk '{ ahead += $3 > $2 } END {
  n = NR; p = 0; c = 1
  for (i = 0; i <= n; i++) { if (i >= ahead) p += c; c = c * (n - i) / (i + 1) }
  printf "ahead in %d of %d cycles; sign test, one-sided p = %.3f\n", ahead, n, p / 2 ^ n }' "$WORK/cycles"
