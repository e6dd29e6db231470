#!/usr/bin/env bash
# Storage benchmark (issue 10): today's SQLite write path against the candidates for an append-only
# event store, on the same workload in the same run. Data goes under target/storage-bench (the
# project's disk, not a tmpfs: the syncs must be real); each candidate's files are deleted after it.
#   bench/storage.sh                       # full: 1M enrollments, 10M events (about 15 min, about 10 GB free disk)
#   bench/storage.sh --quick               # seconds; CI runs this so the benchmark keeps working
#   bench/storage.sh --only sqlite-today,rocksdb --events 2000000 --users 1000000 --keep
# Candidates: sqlite-today (baseline), sqlite-append, rocksdb, rocksdb-lean, segment-log.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/storage-bench.classpath
exec java ${JAVA_OPTS:--Xmx4g} -cp "target/classes:target/test-classes:$(cat target/storage-bench.classpath)" \
    com.conversionrules.bench.storage.StorageBenchmark "$@"
