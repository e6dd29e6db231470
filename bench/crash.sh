#!/usr/bin/env bash
# kill -9 under load, repeated, at benchmark size (CrashIT's run and checks, shared with it):
#  1. the packaged service with a fresh data directory and its webhook pointed at the benchmark's
#     receiver; USERS users enrolled in a live campaign by one bulk NDJSON request;
#  2. baseline: kill -9 with no load, then the time from process start to /health/ready with that state;
#  3. CLIENTS clients stream rounds of 100 users at full speed (enroll them in a second campaign, then
#     their events: views, orders, visits), retrying what is not acknowledged, while the service is
#     killed KILLS times at random points, RECOVERY_KILLS of the restarts killed again while recovering;
#     each restart timed to ready;
#  4. once every exit is delivered: every acknowledged event reflected (exits on the feed, the stats,
#     views and enrollments of a sample of users), no exit twice on the feed, every exit received by the
#     webhook with one stable id. Prints the figures; exits 1 on any loss or duplicate.
#   bench/crash.sh                              # 1,000,000 users, 5 kills (2 during recovery)
#   bench/crash.sh --quick                      # 20,000 users, 2 kills (CI, about a minute)
#   USERS=200000 KILLS=3 SEED=42 bench/crash.sh # other sizes; SEED replays the kill points
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile
exec java -cp "target/classes:target/test-classes:target/lib/*" com.conversionrules.crash.CrashBenchmark "$@"
