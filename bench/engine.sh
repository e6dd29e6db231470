#!/usr/bin/env bash
# Engine benchmark: the shipped rules against hand-written Java, 10k/100k/1M enrollments.
#   bench/engine.sh            # full run (a few minutes, needs about 4 GB of heap)
#   bench/engine.sh --quick    # seconds; CI runs this so the benchmark keeps working
# G1, the collector the service runs with: ParallelGC measured 0.11-0.21x where G1 measured 0.24-0.37x.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile
exec java ${JAVA_OPTS:--Xmx6g} -cp "target/classes:target/test-classes:target/lib/*" \
    com.conversionrules.bench.EngineBenchmark "$@"
