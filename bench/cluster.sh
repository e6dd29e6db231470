#!/usr/bin/env bash
# Cluster mode against embedded mode, in one run, on this machine:
#  1. throughput and CPU per event: the same wrk load (bench/events-batch.lua: 100 events per request,
#     10% orders, half from enrolled users, USERS enrolled over 50 campaigns) on an embedded instance,
#     then on one cluster instance with one Kafka broker (a separate JVM) on the same cores;
#  2. event -> exit-topic latency at 10,000 events/s (after a 5,000/s warm-up) on that instance;
#  3. failover: two instances, FAILOVER_USERS active enrollments; one is killed with SIGKILL and the
#     time until its users convert again on the survivor is printed.
#   bench/cluster.sh              # 100k users, 20 s of load, 1M users for the failover (about 10 minutes)
#   bench/cluster.sh --quick      # seconds; CI runs this so the benchmark keeps working
# Needs wrk (apt-get install wrk). Binds 127.0.0.1 only; the broker listens on BROKER_PORT (19092).
set -euo pipefail
[ -n "${TRACE:-}" ] && set -x
cd "$(dirname "$0")/.."
. bench/lib.sh
QUICK=${1:-}
USERS=${USERS:-100000}
DURATION=${DURATION:-20s}
FAILOVER_USERS=${FAILOVER_USERS:-1000000}
RATES=${RATES:-5000:5 10000:10}
if [ "$QUICK" = --quick ]; then
  USERS=10000 DURATION=3s FAILOVER_USERS=20000 RATES="1000:2"
fi
PARTITIONS=${PARTITIONS:-12}
BROKER_PORT=${BROKER_PORT:-19092}
CONNECTIONS=${CONNECTIONS:-32}
WORK=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mvn -B -q -DskipTests package test-compile
# The broker runs from the test class path (kafka_2.13, as the tests use it).
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt"
CLASSPATH_ALL="target/classes:target/test-classes:$(cat "$WORK/classpath.txt")"
CLK=$(getconf CLK_TCK)
PIDS=()
trap 'stop_service "${PIDS[@]}"; rm -rf "$WORK"' EXIT

start_broker() {
  cat > "$WORK/broker.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((BROKER_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT,CONTROLLER://127.0.0.1:$((BROKER_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$WORK/broker
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
EOF
  cat > "$WORK/broker-logback.xml" <<'EOF'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %-5level %logger - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
EOF
  local broker_java="java -Xmx1g -Dlogback.configurationFile=$WORK/broker-logback.xml -cp $CLASSPATH_ALL"
  $broker_java kafka.tools.StorageTool format -t "$($broker_java kafka.tools.StorageTool random-uuid)" \
    -c "$WORK/broker.properties" > "$WORK/broker.log" 2>&1
  $broker_java kafka.Kafka "$WORK/broker.properties" >> "$WORK/broker.log" 2>&1 &
  BROKER=$!
  PIDS+=("$BROKER")
  until (echo > "/dev/tcp/127.0.0.1/$BROKER_PORT") 2>/dev/null; do
    kill -0 "$BROKER" 2>/dev/null || { echo "the broker died; see $WORK/broker.log" >&2; exit 1; }
    sleep 0.1
  done
}

# cpu_ticks PID: user + system CPU the process used so far, in clock ticks.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# metric NAME: the value of a meter on $BASE/metrics, summed over its series (NaN series left out).
metric() {
  curl -fs "$BASE/metrics" -H "authorization: Bearer $ADMIN_KEY" \
    | awk -v name="$1" 'index($0, name) == 1 && $NF != "NaN" { sum += $NF } END { printf "%.0f", sum }'
}

evaluated() {
  echo $(( $(metric conversion_events_accepted_total) + $(metric conversion_events_duplicate_total) ))
}

# Waits until every partition this instance evaluates has evaluated every record it was sent.
await_no_lag() {
  sleep 1
  until [ "$(metric conversion_partition_lag)" = 0 ]; do sleep 0.2; done
}

# load LABEL PID...: runs wrk, waits until the events are evaluated, prints rate and CPU per event.
load() {
  local label=$1
  shift
  local before_events before_ticks=() start end events i line
  before_events=$(evaluated)
  for i in "$@"; do before_ticks+=("$(cpu_ticks "$i")"); done
  start=$(date +%s.%N)
  line=$(USERS=$USERS EVENTS_PER_REQUEST=100 WRITE_KEY=$WRITE_KEY \
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/events-batch.lua "$BASE" | tail -1)
  [ "$label" = embedded ] || await_no_lag
  end=$(date +%s.%N)
  events=$(( $(evaluated) - before_events ))
  printf '%-9s %s\n' "$label" "answered: $line"
  printf '%-9s evaluated %d events in %.1f s: %.0f events/s' "$label" "$events" "$(echo "$end - $start" | bc)" \
    "$(echo "$events / ($end - $start)" | bc -l)"
  local n=0 names=(service broker)
  for i in "$@"; do
    printf ', %s %.1f us CPU/event' "${names[$n]}" \
      "$(echo "($(cpu_ticks "$i") - ${before_ticks[$n]}) * 1000000 / $CLK / $events" | bc -l)"
    n=$((n + 1))
  done
  echo
}

echo "== 1. throughput: $USERS users over 50 campaigns, wrk $CONNECTIONS connections, $DURATION, 100 events per request"
start_service 18181 "$WORK/embedded" "$WORK/embedded.log"
PIDS+=("$SERVICE")
fifty_campaigns "$USERS" "$WORK"
load embedded "$SERVICE"
stop_service "$SERVICE"

start_broker
CLUSTER=(KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$BROKER_PORT KAFKA_PARTITIONS=$PARTITIONS KAFKA_SESSION_TIMEOUT=6s)
start_service 18182 "$WORK/cluster" "$WORK/cluster.log" "${CLUSTER[@]}" KAFKA_APPLICATION_ID=bench
PIDS+=("$SERVICE")
fifty_campaigns "$USERS" "$WORK"
await_no_lag
load cluster "$SERVICE" "$BROKER"

echo "== 2. event -> exit on the exits topic, read_committed, open loop, batches of 100"
for pair in $RATES; do
  BASE=$BASE ADMIN_KEY=$ADMIN_KEY WRITE_KEY=$WRITE_KEY KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$BROKER_PORT \
    EXITS_TOPIC=bench.exits java -cp "$CLASSPATH_ALL" com.conversionrules.bench.ClusterBenchmark latency \
    "${pair%%:*}" "${pair##*:}"
done
stop_service "$SERVICE"

echo "== 3. failover: two instances, $FAILOVER_USERS active enrollments, one killed with SIGKILL"
start_service 18183 "$WORK/a" "$WORK/a.log" "${CLUSTER[@]}" KAFKA_APPLICATION_ID=failover
A=$SERVICE; BASE_A=$BASE
PIDS+=("$A")
start_service 18184 "$WORK/b" "$WORK/b.log" "${CLUSTER[@]}" KAFKA_APPLICATION_ID=failover
B=$SERVICE; BASE_B=$BASE
PIDS+=("$B")
until curl -fs "$BASE_A/health/ready" >/dev/null && curl -fs "$BASE_B/health/ready" >/dev/null; do sleep 0.2; done
BASE=$BASE_B OTHER=$BASE_A USERS=$FAILOVER_USERS PARTITIONS=$PARTITIONS ADMIN_KEY=$ADMIN_KEY WRITE_KEY=$WRITE_KEY \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$BROKER_PORT EXITS_TOPIC=failover.exits \
  java -cp "$CLASSPATH_ALL" com.conversionrules.bench.ClusterBenchmark failover "$B"
