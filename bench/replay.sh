#!/usr/bin/env bash
# Replay benchmark: simulate-rules over a data directory written by the engine (50 campaigns, USERS
# users enrolled one campaign each, EVENTS events), running rules against the same rules as
# proposed, in a JVM capped at REPLAY_HEAP to show the replay's memory does not grow with the range.
#   bench/replay.sh                                  # 100k users, 1M events, 128 MB heap
#   USERS=2000 EVENTS=20000 bench/replay.sh          # seconds; CI runs this
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-100000}
EVENTS=${EVENTS:-1000000}
REPLAY_HEAP=${REPLAY_HEAP:-128m}
mvn -B -q -DskipTests package test-compile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "writing $USERS users and $EVENTS events through the engine..."
since=$(java -Xmx4g -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.bench.ReplayHistory \
    --data "$work/data" --users "$USERS" --events "$EVENTS" 2>/dev/null | tail -1)
echo "replaying with -Xmx$REPLAY_HEAP (two arms: running and proposed, so every event is evaluated twice)"
java "-Xmx$REPLAY_HEAP" -jar target/conversion-rules.jar simulate-rules --rules rules --running rules \
    --data "$work/data" --since "$since" 2>/dev/null | tail -2
