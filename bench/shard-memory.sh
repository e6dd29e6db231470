#!/usr/bin/env bash
# Heap per active enrollment in a shard, for campaigns with one, two and four conversion events.
#   bench/shard-memory.sh                 # 1M enrollments (about 3 GB of heap at four events)
#   bench/shard-memory.sh --size 20000    # seconds; CI runs this so the benchmark keeps working
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile
exec java ${JAVA_OPTS:--Xmx6g} -cp "target/classes:target/test-classes:target/lib/*" \
    com.conversionrules.engine.ShardMemoryBenchmark "$@"
