#!/usr/bin/env bash
# Replay benchmark: simulate-rules over a data directory written by the engine (50 campaigns, USERS
# users enrolled one campaign each, EVENTS events), running rules against the same rules as
# proposed, in a JVM capped at REPLAY_HEAP (the replay's memory does not grow with the range), then
# the same with a 2 GB heap as the baseline: a ratio near 1 means the cap cost nothing.
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
for heap in "$REPLAY_HEAP" 2g; do
    echo "every campaign, -Xmx$heap (two arms: running and proposed, so every event is evaluated twice)"
    java "-Xmx$heap" -jar target/conversion-rules.jar simulate-rules --rules rules --running rules \
        --data "$work/data" --since "$since" 2>/dev/null | tail -1
done
echo "one campaign of the 50, -Xmx$REPLAY_HEAP, as POST /v1/campaigns/{id}/simulate reads it (its users' events only)"
java "-Xmx$REPLAY_HEAP" -jar target/conversion-rules.jar simulate-rules --rules rules --running rules \
    --data "$work/data" --since "$since" --campaign c0 2>/dev/null | tail -1
