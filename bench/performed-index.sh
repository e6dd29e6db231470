#!/usr/bin/env bash
# Performed-event index benchmark (issue 10): the SQLite B-tree the index was (baseline) against the
# RocksDB index it is, on the same stream of events in the same run, as the index grows; CPU per
# event for each tenth of the growth, then query latency. Files under target/performed-index-bench.
#   bench/performed-index.sh            # 40M events of 1M users (about 10 min, about 3 GB free disk)
#   bench/performed-index.sh --quick    # seconds; CI runs this so the benchmark keeps working
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/performed-index-bench.classpath
exec java ${JAVA_OPTS:--Xmx4g} -cp "target/classes:target/test-classes:$(cat target/performed-index-bench.classpath)" \
    com.conversionrules.store.PerformedIndexBenchmark "$@"
