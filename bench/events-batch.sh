#!/usr/bin/env bash
# Measures POST /v1/events throughput with batches of events, against the real service with its
# durable store, USERS active enrollments spread over 50 live campaigns.
#   bench/events-batch.sh                  # 100k enrollments, 100 events per request, 20 s
#   USERS=10000 DURATION=10s bench/events-batch.sh
# Needs wrk (apt-get install wrk) and python3. Binds 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${USERS:-100000}
EVENTS_PER_REQUEST=${EVENTS_PER_REQUEST:-100}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18181}
BASE="http://127.0.0.1:$PORT"
DATA_DIR=$(mktemp -d)
# Fixed keys for this throwaway service (the service refuses requests without them).
WRITE_KEY=wk_bench-write-key-000000000000
ADMIN_KEY=ak_bench-admin-key-000000000000
export USERS EVENTS_PER_REQUEST WRITE_KEY ADMIN_KEY

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f target/conversion-rules.jar ] || mvn -B -q -DskipTests package

HOST=127.0.0.1 PORT=$PORT DATA_DIR=$DATA_DIR WRITE_KEYS=$WRITE_KEY ADMIN_KEYS=$ADMIN_KEY LOG_LEVEL=WARN java ${JAVA_OPTS:-} -jar target/conversion-rules.jar &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$DATA_DIR"' EXIT
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.2; done

EVENTS=(placed_order site_active opened_email clicked_email clicked_sms)
for i in $(seq 0 49); do
  curl -fs -X POST "$BASE/v1/campaigns" -H "Authorization: Bearer $ADMIN_KEY" -H 'content-type: application/json' \
    -d "{\"id\":\"c$i\",\"name\":\"Campaign $i\",\"type\":\"multi_touch\",\"conversionEvent\":\"${EVENTS[$((i % 5))]}\"}" >/dev/null
  curl -fs -X POST "$BASE/v1/campaigns/c$i/launch" -H "Authorization: Bearer $ADMIN_KEY" >/dev/null
done
python3 - "$BASE" "$USERS" <<'PY'
import json, os, sys, urllib.request
base, users = sys.argv[1], int(sys.argv[2])
by_campaign = {}
for u in range(1, users + 1):
    by_campaign.setdefault(u % 50, []).append({"userId": "u%d" % u, "enrolledAt": "2026-01-01T00:00:00Z"})
for c, enrollments in by_campaign.items():
    for start in range(0, len(enrollments), 5000):
        body = json.dumps({"enrollments": enrollments[start:start + 5000]}).encode()
        request = urllib.request.Request("%s/v1/campaigns/c%d/enrollments" % (base, c), body,
                                         {"content-type": "application/json",
                                          "authorization": "Bearer " + os.environ["ADMIN_KEY"]})
        urllib.request.urlopen(request).read()
PY
echo "enrolled $USERS users over 50 campaigns; $EVENTS_PER_REQUEST events per request, $CONNECTIONS connections, $DURATION"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/events-batch.lua "$BASE" | tail -1
