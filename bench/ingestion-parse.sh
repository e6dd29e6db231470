#!/usr/bin/env bash
# What ingestion's checks cost per event on one thread (time and bytes allocated): duplicate keys
# refused, strict UTF-8, building the facts, counting the event names; against Jackson's plain
# readTree in the same run.
#   bench/ingestion-parse.sh            # 50,000 rounds per step
#   bench/ingestion-parse.sh --quick    # CI: keeps the benchmark running
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile
exec java ${JAVA_OPTS:--Xmx1g} -cp "target/classes:target/test-classes:target/lib/*" \
    com.conversionrules.http.IngestionParseBenchmark "$@"
